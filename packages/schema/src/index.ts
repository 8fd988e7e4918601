export * from './states.js';
export * from './transitions.js';
export * from './events.js';
export * from './wire.js';
export * from './api.js';
export * from './deployments.js';
export * from './parameterSchema.js';
export * from './names.js';
