import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The four HIPS partnerships of docs/procedure.md §1. */
export const PARTNERSHIPS = [
  [
    'HAMPSHIRE',
    'Hampshire Safeguarding Children Partnership',
    'HSCP',
    'hscp@hants.gov.uk',
    'Professionals Meeting',
  ],
  [
    'ISLE_OF_WIGHT',
    'Isle of Wight Safeguarding Children Partnership',
    'IOWSCP',
    'scp@iow.gov.uk',
    'Professionals Meeting',
  ],
  [
    'PORTSMOUTH',
    'Portsmouth Safeguarding Children Partnership',
    'PSCP',
    'pscp@portsmouthcc.gov.uk',
    'Rethink',
  ],
  [
    'SOUTHAMPTON',
    'Southampton Safeguarding Children Partnership',
    'SSCP',
    'Safeguarding.partnershipsteam@southampton.gov.uk',
    'Reflecting Teams',
  ],
] as const;

export class SeedPartnerships1795653293400 implements MigrationInterface {
  name = 'SeedPartnerships1795653293400';

  async up(q: QueryRunner): Promise<void> {
    for (const [code, name, prefix, email, reflective] of PARTNERSHIPS) {
      await q.query(
        `insert into partnerships (code, name, reference_prefix, contact_email, reflective_step_name)
         values ($1, $2, $3, $4, $5) on conflict (code) do nothing`,
        [code, name, prefix, email, reflective],
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from partnerships where code = any($1)`, [PARTNERSHIPS.map((p) => p[0])]);
  }
}
