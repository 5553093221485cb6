import { Writable } from 'node:stream';
import pino from 'pino';
import { loggerOptions } from './logger';

describe('logger redaction', () => {
  it('never writes passwords, tokens, keys or child identifiers', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = pino(loggerOptions('info', 'spec'), sink);
    logger.info(
      {
        password: 'hunter2-secret',
        input: { refreshToken: 'eyJ.secret', child: { initials: 'AB', nhsNumber: '9434765919' } },
        headers: { authorization: 'Bearer eyJ.secret', 'x-api-key': 'hips_secret' },
        reference: 'PSCP-2026-000001',
      },
      'hello',
    );
    const out = lines.join('');
    for (const secret of ['hunter2-secret', 'eyJ.secret', '9434765919', 'hips_secret', '"AB"']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('PSCP-2026-000001');
  });
});
