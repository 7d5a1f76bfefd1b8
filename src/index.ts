export { createApp, createHttpServer, start, PACKAGE_VERSION, type AppOverrides, type EmulatorApp, type RunningEmulator } from './app.js';
export { defaultConfig, configFromArgs, type EmulatorConfig } from './config.js';
export { ControllableClock, ManualClock, systemClock, type Clock, type ClockState } from './runtime/clock.js';
export { randomIdGenerator, sequentialIdGenerator, type IdGenerator } from './runtime/ids.js';
export { ApiError } from './errors/api-error.js';
export type { Account, Group, Membership, ScimCredential, User, Zone } from './domain/entities.js';
export type { StateDocument } from './domain/schema.js';
export { startEmulator, type StartEmulatorOptions, type TestEmulator, type FaultRuleInput } from './testing.js';
export type { ControlPlane } from './control/control-plane.js';
