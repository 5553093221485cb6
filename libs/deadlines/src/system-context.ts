import type { RequestContext } from '@hips/common';

/** The actor of effects nobody performed by hand (deadlines firing): recorded as SYSTEM in the audit trail. */
export function systemContext(partnershipId: string, requestId: string): RequestContext {
  return {
    requestId,
    partnershipId,
    partnershipCode: '',
    personId: null,
    apiKeyId: null,
    apiClientName: 'HIPS Resolve worker',
    agencyId: null,
    roles: [],
  };
}
