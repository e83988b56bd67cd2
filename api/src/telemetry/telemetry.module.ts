import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TelemetryPurgeService } from './telemetry-purge.service';
import { TelemetryController } from './telemetry.controller';
import { TelemetryService } from './telemetry.service';

/** Pipeline telemetry and its retention (docs/telemetry.md). */
@Module({
  imports: [AuthModule],
  controllers: [TelemetryController],
  providers: [TelemetryService, TelemetryPurgeService],
})
export class TelemetryModule {}
