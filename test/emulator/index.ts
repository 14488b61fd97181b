// The Fly API emulator's public surface for tests and tools.
export { startEmulator, type Emulator, type EmulatorOptions } from './server';
export type { Fault, FaultMatch } from './faults';
export type { LoggedRequest } from './requestLog';
export type { TokenRecord, World } from './world';
export { DEMO_EMAIL, TEAMMATE_EMAIL } from './seed';
