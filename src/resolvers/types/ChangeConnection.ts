import { Change } from './Change';
import { countedConnectionType } from '../../relay/connectionType';

export const ChangeConnection = countedConnectionType('Change', Change);
export type ChangeConnection = InstanceType<typeof ChangeConnection>;
