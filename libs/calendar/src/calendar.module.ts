import { Module } from '@nestjs/common';
import { DirectoryModule } from '@hips/directory';
import { CalendarResolver, CalendarVersionFieldsResolver } from './calendar.resolver';
import { CalendarService } from './calendar.service';

@Module({
  imports: [DirectoryModule],
  providers: [CalendarService, CalendarResolver, CalendarVersionFieldsResolver],
  exports: [CalendarService],
})
export class CalendarModule {}
