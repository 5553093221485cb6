import { Module } from '@nestjs/common';
import { CalendarModule } from '@hips/calendar';
import { DirectoryModule } from '@hips/directory';
import { EscalationPolicyFieldsResolver, PoliciesResolver } from './policies.resolver';
import { PoliciesService } from './policies.service';

@Module({
  imports: [DirectoryModule, CalendarModule],
  providers: [PoliciesService, PoliciesResolver, EscalationPolicyFieldsResolver],
  exports: [PoliciesService],
})
export class PoliciesModule {}
