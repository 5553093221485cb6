export * from './calendar.entity';
export * from './calendar.module';
export * from './calendar.resolver';
export * from './calendar.service';
export * from './closure-rules';
export * from './dto/calendar.model';
export * from './dto/calendar.input';
