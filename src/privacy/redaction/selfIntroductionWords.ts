/**
 * How people say their name, in each of the 25 locales, and the words that end a name. Folded before use.
 *
 * `before`: the name follows ("my name is Ali", "me llamo Ana", "اسمي محمد", "我叫李明").
 * `after`: the name comes first ("Abebe እባላለሁ", "Cali baa la i yiraahdaa").
 * `stop`: words that are not part of a name: a name ends before them, and a phrase followed by one of them is not
 * an introduction at all ("my name is on the list", "mi nombre no aparece").
 */
export interface SelfIntroductionLanguage {
  readonly before: readonly string[];
  readonly after?: readonly string[];
  readonly stop: readonly string[];
  /** Most words a name may have here (particles such as "de" or "bin" not counted); 3 unless set. */
  readonly maxWords?: number;
}

export const SELF_INTRODUCTIONS: Readonly<Record<string, SelfIntroductionLanguage>> = {
  en: {
    before: ['my name is', "my name's", 'my names', 'name is', 'name:', 'i am called', "i'm called", 'im called', 'call me', 'my first name is', 'my last name is', 'my surname is', 'my full name is', 'my family name is', 'is called', 'named'],
    stop: ['and', 'i', "i'm", 'im', 'from', 'but', 'on', 'in', 'not', 'the', 'a', 'an', 'is', 'was', 'at', 'to', 'for', 'of', 'my', 'me', 'please', 'if', 'when', 'what', 'who', 'how', 'why', 'still', 'also', 'missing', 'wrong', 'written', 'spelled', 'there', 'here', 'it', 'that', 'so', 'because', 'with', 'about', 'back', 'tomorrow', 'today', 'now', 'later', 'soon', 'urgent', 'important', 'very', 'need', 'needs', 'am', 'are', 'have', 'has', 'can', 'could', 'will', 'would', 'should', 'do', 'does', 'did', 'thank', 'thanks', 'hello', 'hi', 'yes', 'no', 'ok', 'okay', 'sir', 'madam', 'we', 'you', 'he', 'she', 'they', 'your', 'his', 'her', 'their', 'our', 'by', 'as'],
  },
  es: {
    before: ['me llamo', 'mi nombre es', 'mi nombre', 'mi apellido es', 'mis apellidos son', 'me dicen', 'se llama', 'llamado', 'llamada'],
    maxWords: 4,
    stop: ['y', 'soy', 'no', 'en', 'los', 'las', 'un', 'una', 'es', 'esta', 'está', 'estoy', 'tengo', 'vivo', 'necesito', 'pero', 'por', 'para', 'que', 'con', 'mi', 'me', 'yo', 'aparece', 'gracias', 'hola', 'favor', 'porque', 'ya', 'también'],
  },
  fr: {
    before: ["je m'appelle", 'je m appelle', "j'm'appelle", "jm'appelle", 'mon nom est', "mon nom c'est", 'mon prenom est', "mon prenom c'est", "il s'appelle", "elle s'appelle", "s'appelle", "m'appelle", 'mon nom de famille est'],
    stop: ['et', 'je', "j'", 'suis', 'les', 'un', 'une', 'est', 'ne', 'pas', 'sur', 'dans', 'mais', 'pour', 'avec', 'merci', 'bonjour', 'svp', 'parce', 'que', 'qui', 'ai', 'jai', "j'ai", 'il', 'elle', 'nous', 'vous'],
  },
  pt: {
    before: ['meu nome e', 'meu nome', 'me chamo', 'chamo-me', 'se chama', 'meu sobrenome e', 'chamado', 'chamada'],
    maxWords: 4,
    stop: ['e', 'sou', 'no', 'na', 'nao', 'o', 'a', 'um', 'uma', 'esta', 'estou', 'tenho', 'moro', 'preciso', 'mas', 'por', 'para', 'que', 'com', 'obrigado', 'obrigada', 'ola', 'porque', 'eu'],
  },
  ro: {
    before: ['ma numesc', 'numele meu este', 'numele meu e', 'numele meu', 'ma cheama', 'il cheama', 'o cheama'],
    stop: ['si', 'sunt', 'din', 'am', 'nu', 'in', 'la', 'pe', 'este', 'e', 'dar', 'pentru', 'ca', 'cu', 'eu', 'multumesc', 'buna'],
  },
  ht: {
    before: ['mwen rele', 'm rele', 'non mwen se', 'non mwen', 'non m se', 'non m', 'li rele', 'yo rele m', 'yo rele mwen'],
    stop: ['e', 'mwen', 'm', 'se', 'ak', 'nan', 'pa', 'soti', 'men', 'paske', 'mesi', 'bonjou', 'li', 'yo', 'gen', 'bezwen'],
  },
  tl: {
    before: ['ang pangalan ko ay', 'ang pangalan ko po ay', 'pangalan ko ay', 'pangalan ko po ay', 'pangalan ko', 'ako si', 'ako po si', 'ang pangalan niya ay'],
    stop: ['at', 'po', 'ay', 'taga', 'ako', 'ko', 'sa', 'ng', 'na', 'hindi', 'pero', 'kasi', 'salamat', 'kailangan', 'mula', 'nasa'],
  },
  id: {
    before: ['nama saya adalah', 'nama saya', 'nama aku', 'namaku', 'panggil saya', 'nama lengkap saya'],
    stop: ['dan', 'dari', 'saya', 'aku', 'adalah', 'tidak', 'di', 'ke', 'yang', 'tapi', 'karena', 'terima', 'kasih', 'butuh', 'perlu', 'ada'],
  },
  vi: {
    before: ['ten cua toi la', 'ten toi la', 'toi ten la', 'toi ten', 'ten toi', 'ten em la', 'em ten la', 'em ten', 'ten minh la', 'minh ten la'],
    maxWords: 4,
    stop: ['va', 'toi', 'em', 'o', 'tu', 'can', 'la', 'khong', 'nhung', 'vi', 'cam', 'on', 'xin', 'chao', 'muon', 'dang', 'co'],
  },
  sw: {
    before: ['jina langu ni', 'jina langu', 'naitwa', 'ninaitwa', 'anaitwa', 'jina lake ni'],
    stop: ['na', 'mimi', 'ni', 'kutoka', 'lakini', 'kwa', 'sina', 'nina', 'asante', 'habari', 'nahitaji', 'si'],
  },
  so: {
    before: ['magacaygu waa', 'magacayga waa', 'magacaygu', 'magacayga', 'magaceygu waa', 'magaciisu waa', 'magaceedu waa', 'waxaa la i yiraahdaa', 'waxaa la igu magacaabaa'],
    after: ['baa la i yiraahdaa', 'ayaa la i yiraahdaa', 'ayaa la igu magacaabaa'],
    stop: ['waa', 'iyo', 'oo', 'ka', 'kaga', 'waxaan', 'aan', 'ma', 'laakiin', 'mahadsanid', 'haa', 'maya', 'ahay', 'u', 'baan', 'ayaan'],
  },
  tr: {
    before: ['benim adim', 'benim ismim', 'adim', 'ismim', 'adim soyadim', 'adi'],
    stop: ['ve', 'ben', 'ile', 'da', 'de', 'degil', 'bir', 'ama', 'cunku', 'tesekkurler', 'merhaba', 'lutfen', 'yok', 'var', 'nedir', 'ne'],
  },
  ru: {
    before: ['меня зовут', 'моё имя', 'мое имя', 'моя фамилия', 'зовут', 'его зовут', 'её зовут', 'меня звать'],
    stop: ['и', 'я', 'из', 'а', 'мне', 'но', 'не', 'нет', 'в', 'на', 'с', 'у', 'это', 'спасибо', 'здравствуйте', 'привет', 'пожалуйста', 'нужна', 'нужен', 'нужно'],
  },
  uk: {
    before: ['мене звати', 'мене звуть', "моє ім'я", 'моє імя', 'моє прізвище', 'звати', 'його звати', 'її звати'],
    stop: ['і', 'й', 'я', 'з', 'а', 'мені', 'але', 'не', 'ні', 'в', 'у', 'на', 'це', 'дякую', 'привіт', 'будь', 'ласка', 'потрібна', 'потрібен', 'потрібно'],
  },
  ar: {
    before: ['اسمي', 'انا اسمي', 'اسمي هو', 'اسم ابني', 'اسم ابنتي', 'اسمه', 'اسمها', 'اسم عائلتي', 'لقبي'],
    stop: ['و', 'وانا', 'انا', 'من', 'في', 'عمري', 'احتاج', 'واحتاج', 'اريد', 'واريد', 'ابحث', 'وابحث', 'عندي', 'وعندي', 'ساكن', 'واسكن', 'لكن', 'لا', 'ليس', 'هو', 'هي', 'شكرا', 'مرحبا', 'احتاج', 'عندي', 'على', 'مش', 'مو'],
  },
  fa: {
    before: ['اسم من', 'نام من', 'اسمم', 'نامم', 'اسم بنده', 'نام خانوادگی من', 'فامیلی من', 'اسم پسرم', 'اسم دخترم'],
    stop: ['است', 'هست', 'و', 'من', 'هستم', 'از', 'در', 'به', 'ولی', 'اما', 'نه', 'ممنون', 'سلام', 'لطفا', 'میخواهم', 'دارم', 'هستش', 'ه'],
  },
  ps: {
    before: ['زما نوم', 'نوم مې', 'نوم می', 'زما نوم دی', 'زما د کورنۍ نوم'],
    stop: ['دی', 'ده', 'دے', 'او', 'زه', 'یم', 'له', 'څخه', 'په', 'خو', 'مننه', 'سلام', 'نه', 'ته'],
  },
  ur: {
    before: ['میرا نام', 'میرا نام ہے', 'میرے بیٹے کا نام', 'میری بیٹی کا نام'],
    stop: ['ہے', 'ہیں', 'اور', 'میں', 'ہوں', 'سے', 'کا', 'کی', 'کے', 'لیکن', 'نہیں', 'شکریہ', 'سلام', 'کیا', 'مجھے'],
  },
  hi: {
    before: ['मेरा नाम', 'मेरा नाम है', 'मेरे बेटे का नाम', 'मेरी बेटी का नाम', 'मुझे कहते हैं'],
    stop: ['है', 'हैं', 'और', 'मैं', 'से', 'का', 'की', 'के', 'लेकिन', 'नहीं', 'धन्यवाद', 'नमस्ते', 'हूँ', 'हूं', 'मुझे', 'क्या'],
  },
  ne: {
    before: ['मेरो नाम', 'मेरो नाम हो', 'मेरो छोराको नाम', 'मेरी छोरीको नाम'],
    stop: ['हो', 'हुँ', 'र', 'म', 'बाट', 'को', 'तर', 'होइन', 'धन्यवाद', 'नमस्ते', 'छ', 'मलाई'],
  },
  bn: {
    before: ['আমার নাম', 'আমার নাম হল', 'আমার নাম হলো', 'আমার ছেলের নাম', 'আমার মেয়ের নাম'],
    stop: ['এবং', 'আর', 'আমি', 'থেকে', 'কিন্তু', 'না', 'ধন্যবাদ', 'নমস্কার', 'হয়', 'হল', 'হলো', 'আমার'],
  },
  am: {
    before: ['ስሜ', 'የኔ ስም', 'ስሟ', 'ስሙ', 'የልጄ ስም'],
    after: ['እባላለሁ', 'ይባላል', 'ትባላለች'],
    stop: ['ነው', 'ነኝ', 'እና', 'እኔ', 'ከ', 'ግን', 'አይደለም', 'አመሰግናለሁ', 'እባላለሁ', 'ይባላል', 'እፈልጋለሁ'],
  },
  ti: {
    before: ['ስመይ', 'ሽመይ', 'ናተይ ስም', 'ስማ', 'ስሙ'],
    after: ['እበሃል', 'ይበሃል', 'ትበሃል', 'እብሃል'],
    stop: ['እዩ', 'እየ', 'ኢዩ', 'ኣነ', 'እና', 'ካብ', 'ግን', 'ኣይኮነን', 'የቐንየለይ', 'እበሃል', 'ይበሃል', 'ደልየ'],
  },
  my: {
    before: ['ကျွန်တော့်နာမည်', 'ကျွန်မနာမည်', 'ကျွန်တော်နာမည်', 'ကျွန်မ နာမည်', 'ကျွန်တော့် နာမည်', 'နာမည်'],
    stop: ['ပါ', 'ပါတယ်', 'ဖြစ်ပါတယ်', 'ဖြစ်တယ်', 'က', 'ဟာ', 'နဲ့', 'နှင့်', 'ကျေးဇူးတင်ပါတယ်'],
  },
  zh: {
    before: ['我叫', '我的名字是', '我的名字叫', '我名叫', '本人叫', '我姓', '名字叫', '他叫', '她叫', '孩子叫'],
    stop: ['我', '是', '从', '来', '在', '今', '和', '但', '不', '谢', '需', '要', '想', '有', '的', '，', '。'],
  },
};
