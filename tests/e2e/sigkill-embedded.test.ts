import { describeRepeatedSigkill } from '../support/sigkill-acceptance.js';

describeRepeatedSigkill('embedded');
