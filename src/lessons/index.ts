/** The lessons core: format, validation, connection choice and consistency check, step engine. */
export * from './types';
export { validateLesson, parseLesson, TCP_STATES, type LessonCheck } from './validate';
export { selectConnection, checkLessonAgainstAnalysis, parseEndpoint } from './check';
export { buildStops, stateAt, sideNames, lessonRange, isCorrect, type LessonStop, type StopKind } from './steps';
export { describePacket, type PacketLike } from './describe';
export { decodeBase64 } from './sources';
