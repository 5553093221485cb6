export * from './jobs/deliver-notifications';
export * from './mailer';
export * from './notification.entity';
export * from './notifications.service';
