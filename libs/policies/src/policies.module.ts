import { Module } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DirectoryModule } from '@hips/directory';
import { EscalationPolicyFieldsResolver, PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';
import { PoliciesRepository } from './persistence/policies.repository';

@Module({
  imports: [DirectoryModule, CalendarModule],
  providers: [PoliciesRepository, PoliciesService, PoliciesResolver, EscalationPolicyFieldsResolver],
  exports: [PoliciesService, PoliciesRepository],
})
export class PoliciesModule {}
