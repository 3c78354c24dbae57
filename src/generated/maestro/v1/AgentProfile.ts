// Original file: proto/maestro/v1/maestro.proto


export interface AgentProfile {
  'name'?: (string);
  'adapter'?: (string);
  'command'?: (string);
  'args'?: (string)[];
  'permissions'?: (string);
  'model'?: (string);
  'mode'?: (string);
  'isDefault'?: (boolean);
  'found'?: (boolean);
  'path'?: (string);
  'version'?: (string);
  'env'?: (string)[];
}

export interface AgentProfile__Output {
  'name': (string);
  'adapter': (string);
  'command': (string);
  'args': (string)[];
  'permissions': (string);
  'model': (string);
  'mode': (string);
  'isDefault': (boolean);
  'found': (boolean);
  'path': (string);
  'version': (string);
  'env': (string)[];
}
