import { Module } from '@nestjs/common';
import { DirectoryModule } from '@hips/directory';
import { CalendarResolver, CalendarVersionFieldsResolver } from './calendar.resolver';
import { CalendarService } from './calendar.service';
import { CalendarRepository } from './persistence/calendar.repository';

@Module({
  imports: [DirectoryModule],
  providers: [CalendarRepository, CalendarService, CalendarResolver, CalendarVersionFieldsResolver],
  exports: [CalendarService],
})
export class CalendarModule {}
