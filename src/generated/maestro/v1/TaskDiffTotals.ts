// Original file: proto/maestro/v1/maestro.proto


export interface TaskDiffTotals {
  'files'?: (number);
  'additions'?: (number);
  'deletions'?: (number);
}

export interface TaskDiffTotals__Output {
  'files': (number);
  'additions': (number);
  'deletions': (number);
}
