import type { Logger } from 'pino';

/**
 * Runs work now and then every intervalMs after the previous run finished (never two at once); errors are logged
 * and the loop goes on. stop() waits for a run in progress.
 */
export class Periodic {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly work: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): this {
    this.tick();
    return this;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.work()
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error(
            { loop: this.name, err: error instanceof Error ? error.message : String(error) },
            'loop failed',
          ),
      )
      .finally(() => {
        this.running = null;
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.intervalMs);
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
