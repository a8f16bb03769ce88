import type en from '../en/auth';
import type { MessagesShape } from '../en';

const de: MessagesShape<typeof en> = {
  title: 'Auth',
};
export default de;
