import { Global, Module } from '@nestjs/common';
import { JobRunner } from './job-runner';

/** The background-job runner, shared by every module that has periodic or retried work. */
@Global()
@Module({
  providers: [JobRunner],
  exports: [JobRunner],
})
export class JobsModule {}
