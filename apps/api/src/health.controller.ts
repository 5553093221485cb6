import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { Public } from '@hips/common';
import { APP_DATA_SOURCE, REDIS } from '@hips/database';

@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** The process is up. */
  @Get('live')
  @HttpCode(200)
  live(): { status: string } {
    return { status: 'ok' };
  }

  /** PostgreSQL and Redis both answer. */
  @Get('ready')
  async ready(): Promise<{ status: string; postgres: string; redis: string }> {
    const within = <T>(p: Promise<T>) =>
      Promise.race([
        p,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
      ]);
    const postgres = await within(this.dataSource.query('select 1')).then(
      () => 'ok',
      () => 'unreachable',
    );
    const redis = await within(this.redis.ping()).then(
      () => 'ok',
      () => 'unreachable',
    );
    const body = { status: postgres === 'ok' && redis === 'ok' ? 'ok' : 'unavailable', postgres, redis };
    if (body.status !== 'ok') throw new ServiceUnavailableException(body);
    return body;
  }
}
