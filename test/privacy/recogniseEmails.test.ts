import { recogniseEmails } from '../../src/privacy/redaction/recogniseEmails';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts(recogniseEmails, text);

describe('recogniseEmails', () => {
  it.each([
    ['email: sarah.k.ahmed@gmail.com', 'sarah.k.ahmed@gmail.com'],
    ['correo: josé.garcía@correo.es', 'josé.garcía@correo.es'],
    ['почта иван@пример.рф', 'иван@пример.рф'],
    ['mail me john_doe99 @ outlook.com', 'john_doe99 @ outlook.com'],
    ['my email is maria.lopez at gmail dot com', 'maria.lopez at gmail dot com'],
    ['rosa punto lopez arroba hotmail punto com', 'rosa punto lopez arroba hotmail punto com'],
    ['ali (at) yahoo', 'ali (at) yahoo'],
    ['邮箱 liming88@qq.com', 'liming88@qq.com'],
  ])('finds %j', (text, address) => {
    expect(found(text)).toEqual([address]);
  });

  it.each(['meet me at the clinic at 5', 'I was at the point of giving up', 'can we meet at free clinic', 'price @ 5 euros'])('leaves %j alone', (text) => {
    expect(found(text)).toEqual([]);
  });
});
