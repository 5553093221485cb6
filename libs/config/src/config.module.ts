import { type DynamicModule, Global, Module, type Type } from '@nestjs/common';
import type { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Provides the configuration the entry point loaded (for its process role) to every module as APP_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}

/** An application's root module with the configuration its entry point loaded. */
export function withConfig(root: Type, config: AppConfig): DynamicModule {
  return { module: root, imports: [ConfigModule.forRoot(config)] };
}
