// Original file: proto/maestro/v1/maestro.proto


export interface Claim {
  'holder'?: (string);
  'sessionId'?: (string);
  'expiresAt'?: (string);
  'claimedAt'?: (string);
}

export interface Claim__Output {
  'holder': (string);
  'sessionId': (string);
  'expiresAt': (string);
  'claimedAt': (string);
}
