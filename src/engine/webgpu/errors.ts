// Errors of the GPU layer. Each names what happened and what the user can do next.

export class NoAdapterError extends Error {
  override name = 'NoAdapterError';
  constructor(detail = '') {
    super(
      'No WebGPU adapter' + (detail ? ` (${detail})` : '') +
        ': on Linux without a GPU, install a software Vulkan driver (SwiftShader ships with Debian\'s ' +
        '`chromium` package: `sudo apt-get install chromium libvulkan1`), or run with --backend cpu',
    );
  }
}

export class AdapterTooLimitedError extends Error {
  override name = 'AdapterTooLimitedError';
}

export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
  constructor(reason: string, message: string) {
    super(
      `The GPU device was lost (${reason}${message ? `: ${message}` : ''}). Work since the last checkpoint ` +
        'is gone from the GPU; the run can be resumed from its last checkpoint. If this repeats, the GPU ' +
        'driver may be resetting: try a smaller batch, or --backend cpu.',
    );
  }
}

export class GpuValidationError extends Error {
  override name = 'GpuValidationError';
}

export class GpuOutOfMemoryError extends Error {
  override name = 'GpuOutOfMemoryError';
}
