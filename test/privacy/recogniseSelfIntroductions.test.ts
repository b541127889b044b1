import { recogniseSelfIntroductions } from '../../src/privacy/redaction/recogniseSelfIntroductions';
import { recognisedTexts } from './recognisedTexts';

const found = (text: string) => recognisedTexts(recogniseSelfIntroductions, text);

describe('recogniseSelfIntroductions', () => {
  it.each([
    ['en', 'hi my name is Maria Lopez and I need a doctor', 'Maria Lopez'],
    ['en', "my name's fatima noor", 'fatima noor'],
    ['es', 'me llamo Juan Carlos Pérez necesito ayuda', 'Juan Carlos Pérez'],
    ['es', 'mi nombre es María José García López', 'María José García López'],
    ['es', 'mi hija se llama María de la Cruz', 'María de la Cruz'],
    ['fr', "bonjour je m'appelle Amadou Diallo", 'Amadou Diallo'],
    ['pt', 'olá meu nome é João da Silva', 'João da Silva'],
    ['ro', 'mă numesc Ion Popescu', 'Ion Popescu'],
    ['ht', 'mwen rele Jean Baptiste', 'Jean Baptiste'],
    ['tl', 'ang pangalan ko ay Maria Santos', 'Maria Santos'],
    ['id', 'nama saya Budi Santoso', 'Budi Santoso'],
    ['vi', 'Tôi tên là Nguyễn Văn An', 'Nguyễn Văn An'],
    ['sw', 'jina langu ni Juma Hamisi', 'Juma Hamisi'],
    ['so', 'magacaygu waa Cali Xasan', 'Cali Xasan'],
    ['so', 'Faadumo baa la i yiraahdaa', 'Faadumo'],
    ['tr', 'merhaba benim adım Ahmet Yılmaz', 'Ahmet Yılmaz'],
    ['ru', 'меня зовут Иван Петров', 'Иван Петров'],
    ['uk', "моє ім'я Олена", 'Олена'],
    ['ar', 'مرحبا اسمي محمد أحمد وأحتاج طبيب', 'محمد أحمد'],
    ['fa', 'سلام اسم من علی رضایی است', 'علی رضایی'],
    ['ps', 'زما نوم احمد شاه دی', 'احمد شاه'],
    ['ur', 'میرا نام محمد عمران ہے', 'محمد عمران'],
    ['hi', 'मेरा नाम राहुल शर्मा है', 'राहुल शर्मा'],
    ['ne', 'मेरो नाम राम बहादुर हो', 'राम बहादुर'],
    ['bn', 'আমার নাম রহিম উদ্দিন', 'রহিম উদ্দিন'],
    ['am', 'ስሜ አበበ ከበደ ነው', 'አበበ ከበደ'],
    ['am', 'ሀና እባላለሁ', 'ሀና'],
    ['ti', 'ስመይ ሰላም ተስፋይ እዩ', 'ሰላም ተስፋይ'],
    ['my', 'ကျွန်တော့်နာမည် မောင်မောင် ပါ', 'မောင်မောင်'],
    ['my', 'ကျွန်မနာမည်မမလေးပါ', 'မမလေး'],
    ['zh', '你好，我叫李明，需要看医生', '李明'],
    ['zh', '我的名字是王芳我需要帮助', '王芳'],
  ])('[%s] finds the name in %j', (_locale, text, name) => {
    expect(found(text)).toEqual([name]);
  });

  it.each([
    'my name is on the list',
    'my name is not important',
    'what is your name?',
    'mi nombre no aparece en la lista',
    'the name of the clinic',
    'I need a doctor for my child',
    'ስሜት አለኝ',
  ])('leaves %j alone', (text) => {
    expect(found(text)).toEqual([]);
  });
});
