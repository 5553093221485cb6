import { InitialSchema1795653293195 } from './1795653293195-InitialSchema';
import { TenancyAndAudit1795653293300 } from './1795653293300-TenancyAndAudit';
import { SeedPartnerships1795653293400 } from './1795653293400-SeedPartnerships';
import { Escalations1795653296000 } from './1795653296000-Escalations';
import { EscalationsTenancy1795653296100 } from './1795653296100-EscalationsTenancy';

/** Every migration in order; listed explicitly so that builds, tests and scripts load the same set. */
export const ALL_MIGRATIONS: Function[] = [
  InitialSchema1795653293195,
  TenancyAndAudit1795653293300,
  SeedPartnerships1795653293400,
  Escalations1795653296000,
  EscalationsTenancy1795653296100,
];
