export {
  type Bucket,
  type BucketView,
  bucketSchema,
  bucketView,
  downsample,
  ERROR_KINDS,
  type ErrorExample,
  type ErrorKind,
  emptyBucket,
  errorExampleSchema,
  mergeBuckets,
  mergeHistogram,
  type NodeInfo,
  quantile,
} from './model.ts';
export { type LiveRead, TelemetryReader } from './reader.ts';
export { TelemetryRecorder } from './recorder.ts';
