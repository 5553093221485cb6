import { Module } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DirectoryModule } from '@hips/directory';
import { EscalationPolicyFieldsResolver, PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';
import { InternalLaddersResolver } from './internal-ladders.resolver';
import { InternalLaddersService } from './internal-ladders.service';
import { PoliciesRepository } from './persistence/policies.repository';

@Module({
  imports: [DirectoryModule, CalendarModule],
  providers: [
    PoliciesRepository,
    PoliciesService,
    PoliciesResolver,
    EscalationPolicyFieldsResolver,
    InternalLaddersService,
    InternalLaddersResolver,
  ],
  exports: [PoliciesService, PoliciesRepository],
})
export class PoliciesModule {}
