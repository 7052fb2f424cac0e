// common/activation_params.wgsl — the uniforms of activation.wgsl and activation_backward.wgsl.
//
// total = n elements; rowPitch = invocations per grid row (linear index gid.x + gid.y · rowPitch);
// slope = leaky_relu's negative_slope (ignored by the other activations).
// TypeScript twin: ACTIVATION_UNIFORMS in src/engine/webgpu/ops/activation.ts.

struct Params { total: u32, rowPitch: u32, slope: f32 }
