// What `convlab train` prints while it works: a redrawn bar on a terminal, plain lines in a log.

export class TrainProgress {
  private lastPlain = 0;
  private readonly started = Date.now();

  constructor(private readonly total: number, private readonly out: NodeJS.WriteStream = process.stderr) {}

  private get tty(): boolean {
    return Boolean(this.out.isTTY);
  }

  step(step: number, epoch: number, loss: number, imagesPerSecond: number): void {
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = step > 0 ? (elapsed / step) * (this.total - step) : NaN;
    const text = `epoch ${epoch + 1}  step ${step}/${this.total}  loss ${loss.toFixed(4)}  ${imagesPerSecond.toFixed(0)} img/s  ETA ${clock(eta)}`;
    if (this.tty) {
      const width = 24;
      const filled = Math.round((step / Math.max(1, this.total)) * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
    } else if (Date.now() - this.lastPlain > 5000 || step === this.total) {
      this.lastPlain = Date.now();
      this.out.write(`${text}\n`);
    }
  }

  line(text: string): void {
    this.out.write(this.tty ? `\r${text}\x1b[K\n` : `${text}\n`);
  }
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
