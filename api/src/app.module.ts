import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { KernelCiExceptionFilter } from './common/http/exception.filter';
import { RouteTable } from './common/http/route-table';
import { RequestValidationPipe } from './common/validation/request-validation.pipe';
import { APP_CONFIG, type AppConfig } from './config/config';
import { EventsModule } from './events/events.module';
import { GroupsModule } from './groups/groups.module';
import { JobsModule } from './common/jobs/jobs.module';
import { NodesModule } from './nodes/nodes.module';
import { StorageModule } from './storage/storage.module';
import { MetricsService } from './system/metrics.service';
import { HealthController } from './system/health.controller';
import { SystemController } from './system/system.controller';
import { UsersModule } from './users/users.module';

@Global()
@Module({})
class ConfigModule {
  static register(config: AppConfig, routes: RouteTable): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: RouteTable, useValue: routes },
        MetricsService,
      ],
      exports: [APP_CONFIG, RouteTable, MetricsService],
    };
  }
}

@Module({})
export class AppModule {
  static register(config: AppConfig, routes = new RouteTable()): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.register(config, routes), StorageModule, JobsModule, EventsModule, AuthModule, UsersModule, GroupsModule, NodesModule],
      controllers: [SystemController, HealthController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useClass: RequestValidationPipe },
        { provide: APP_FILTER, useClass: KernelCiExceptionFilter },
      ],
    };
  }
}
