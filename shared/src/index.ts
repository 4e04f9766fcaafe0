export * from './api';
export * from './call-event';
export * from './phone';
export * from './signals';
