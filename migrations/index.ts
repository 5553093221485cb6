import { InternalLadders1797800000000 } from './1797800000000-InternalLadders';
import { CaseChildCount1797740000000 } from './1797740000000-CaseChildCount';
import { InitialSchema1795653293195 } from './1795653293195-InitialSchema';
import { TenancyAndAudit1795653293300 } from './1795653293300-TenancyAndAudit';
import { SeedPartnerships1795653293400 } from './1795653293400-SeedPartnerships';
import { CalendarsAndPolicies1795653294000 } from './1795653294000-CalendarsAndPolicies';
import { CalendarsAndPoliciesSecurity1795653294100 } from './1795653294100-CalendarsAndPoliciesSecurity';
import { OrgRouting1795653295000 } from './1795653295000-OrgRouting';
import { OrgRoutingTenancy1795653295100 } from './1795653295100-OrgRoutingTenancy';
import { Escalations1795653296000 } from './1795653296000-Escalations';
import { EscalationsTenancy1795653296100 } from './1795653296100-EscalationsTenancy';
import { Webhooks1795653297000 } from './1795653297000-Webhooks';
import { WebhooksTenancy1795653297100 } from './1795653297100-WebhooksTenancy';
import { Notifications1795653298000 } from './1795653298000-Notifications';
import { NotificationsTenancy1795653298100 } from './1795653298100-NotificationsTenancy';
import { EscalationRecommended1795653298200 } from './1795653298200-EscalationRecommended';
import { Analytics1795653299000 } from './1795653299000-Analytics';
import { AnalyticsSecurity1795653299100 } from './1795653299100-AnalyticsSecurity';
import { PendingDeadlinesIndex1795653299500 } from './1795653299500-PendingDeadlinesIndex';
import { AnalyticsTrendCells1795663031258 } from './1795663031258-AnalyticsTrendCells';
import { AnalyticsTrendCellsSecurity1795663031300 } from './1795663031300-AnalyticsTrendCellsSecurity';
import { RedirectIdempotency1795666326466 } from './1795666326466-RedirectIdempotency';
import { Retention1795668708409 } from './1795668708409-Retention';
import { RetentionSecurity1795668708500 } from './1795668708500-RetentionSecurity';
import { PlatformAuditLog1796000003000 } from './1796000003000-PlatformAuditLog';
import { RoleGrantRequests1796000004000 } from './1796000004000-RoleGrantRequests';
import { RoleGrantRequestsSecurity1796000004100 } from './1796000004100-RoleGrantRequestsSecurity';
import { PersonEmailPerPartnership1796000005000 } from './1796000005000-PersonEmailPerPartnership';
import { OneAuditChainTrigger1797600000000 } from './1797600000000-OneAuditChainTrigger';
import { EscalationChildOrdinals1797710000000 } from './1797710000000-EscalationChildOrdinals';
import { ReflectiveMeetings1797730000000 } from './1797730000000-ReflectiveMeetings';
import { ReflectiveMeetingsSecurity1797730000100 } from './1797730000100-ReflectiveMeetingsSecurity';
import { StageExtensionProposals1797720000000 } from './1797720000000-StageExtensionProposals';

/** Every migration in order; listed explicitly so that builds, tests and scripts load the same set. */
export const ALL_MIGRATIONS: Function[] = [
  InitialSchema1795653293195,
  TenancyAndAudit1795653293300,
  SeedPartnerships1795653293400,
  CalendarsAndPolicies1795653294000,
  CalendarsAndPoliciesSecurity1795653294100,
  OrgRouting1795653295000,
  OrgRoutingTenancy1795653295100,
  Escalations1795653296000,
  EscalationsTenancy1795653296100,
  Webhooks1795653297000,
  WebhooksTenancy1795653297100,
  Notifications1795653298000,
  NotificationsTenancy1795653298100,
  EscalationRecommended1795653298200,
  Analytics1795653299000,
  AnalyticsSecurity1795653299100,
  PendingDeadlinesIndex1795653299500,
  AnalyticsTrendCells1795663031258,
  AnalyticsTrendCellsSecurity1795663031300,
  RedirectIdempotency1795666326466,
  Retention1795668708409,
  RetentionSecurity1795668708500,
  PlatformAuditLog1796000003000,
  RoleGrantRequests1796000004000,
  RoleGrantRequestsSecurity1796000004100,
  PersonEmailPerPartnership1796000005000,
  OneAuditChainTrigger1797600000000,
  EscalationChildOrdinals1797710000000,
  ReflectiveMeetings1797730000000,
  ReflectiveMeetingsSecurity1797730000100,
  StageExtensionProposals1797720000000,
  CaseChildCount1797740000000,
  InternalLadders1797800000000,
];
