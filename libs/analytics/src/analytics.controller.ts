import {
  Controller,
  Get,
  HttpException,
  Injectable,
  Query,
  Res,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Response } from 'express';
import { ApiError, Ctx, PartnershipCode, Public, RequestContext } from '@hips/common';
import { isIsoDate } from '@hips/core';
import { SUPPRESSION_THRESHOLD } from './disclosure';
import { analyticsError } from './analytics-errors';
import { AnalyticsService, TrendsExportRow } from './analytics.service';
import { TrendDimension, TrendInterval } from './dto/trends.model';
import { EscalationTrendsInput } from './dto/trends.input';

/** Bearer tokens only (people), answering 401 over HTTP rather than a GraphQL error. */
@Injectable()
export class BearerGuard extends AuthGuard('jwt') {
  override handleRequest<TUser>(error: unknown, user: TUser): TUser {
    if (error || !user) throw new UnauthorizedException('Send Authorization: Bearer <accessToken>');
    return user;
  }
}

type Params = Record<string, string | string[] | undefined>;

const list = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value ? [value] : [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

function oneOf<T extends string>(values: string[], allowed: Record<string, T>, name: string): T[] {
  return values.map((v) => {
    if (!(v in allowed)) throw analyticsError('BAD_USER_INPUT', `${name}: unknown value ${v}`);
    return allowed[v];
  });
}

/** The query string as the GraphQL input: partnerships and groupBy as comma-separated (or repeated) values. */
export function inputFromQuery(params: Params): EscalationTrendsInput {
  const single = (name: string): string => {
    const v = params[name];
    if (typeof v !== 'string' || v === '') throw analyticsError('BAD_USER_INPUT', `${name} is required`);
    return v;
  };
  const from = single('from');
  const to = single('to');
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ]) {
    if (!isIsoDate(v)) throw analyticsError('BAD_USER_INPUT', `${name} must be YYYY-MM-DD`);
  }
  const [interval] = oneOf([single('interval')], TrendInterval, 'interval');
  return {
    from,
    to,
    interval,
    partnerships: oneOf(list(params.partnerships), PartnershipCode, 'partnerships'),
    groupBy: oneOf(list(params.groupBy), TrendDimension, 'groupBy'),
  };
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: TrendsExportRow[], header: string[]): string {
  return [header, ...rows.map((r) => header.map((h) => r[h] ?? null))]
    .map((line) => line.map((v) => csvCell(v)).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/**
 * Exports of escalationTrends: GET /analytics/trends.csv and /analytics/trends.json with the same parameters
 * (from, to, interval, partnerships, groupBy), a bearer token, the same role rules, and suppressed counts as 'c'.
 */
@Public()
@UseGuards(BearerGuard)
@Controller('analytics')
export class AnalyticsExportController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('trends.json')
  async json(@Ctx() ctx: RequestContext, @Query() params: Params, @Res() res: Response): Promise<void> {
    await this.answer(async () => {
      const rows = await this.analytics.exportRows(ctx, inputFromQuery(params));
      res
        .status(200)
        .type('application/json')
        .send(JSON.stringify({ suppressionThreshold: SUPPRESSION_THRESHOLD, rows }));
    });
  }

  @Get('trends.csv')
  async csv(@Ctx() ctx: RequestContext, @Query() params: Params, @Res() res: Response): Promise<void> {
    await this.answer(async () => {
      const input = inputFromQuery(params);
      const rows = await this.analytics.exportRows(ctx, input);
      const header = rows[0] ? Object.keys(rows[0]) : ['periodStart', ...(input.groupBy ?? []), 'raised'];
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('Content-Disposition', 'attachment; filename="escalation-trends.csv"')
        .send(toCsv(rows, header));
    });
  }

  private async answer(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiError) {
        throw new HttpException({ code: error.code, message: error.message }, error.httpStatus);
      }
      throw error;
    }
  }
}
