import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '@hips/config';
import { DirectoryModule } from '@hips/directory';
import { ApiKeysService } from './api-keys.service';
import { AuthResolver } from './auth.resolver';
import { AuthService } from './auth.service';
import { LoginThrottle } from './login-throttle.service';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeysRepository } from './persistence/api-keys.repository';
import { SessionsRepository } from './persistence/sessions.repository';
import { JwtStrategy } from './jwt.strategy';

@Module({
  imports: [
    PassportModule,
    DirectoryModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [
    AuthService,
    LoginThrottle,
    ApiKeysRepository,
    SessionsRepository,
    ApiKeysService,
    AuthResolver,
    JwtStrategy,
    ApiKeyStrategy,
  ],
  exports: [AuthService, ApiKeysService],
})
export class AuthModule {}
