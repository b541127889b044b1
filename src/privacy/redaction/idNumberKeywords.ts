/**
 * Words that announce an identity, travel, residence or case number, by language. A number of four or more
 * digits within a few words after one of them is redacted even when it looks like nothing in particular
 * ("pasaporte: 4471 220", "رقم الملف 88213"). Generic words for "number" are included on purpose: people write
 * "my number is …" for every kind of number, and a false positive only costs a placeholder.
 */
export const ID_NUMBER_KEYWORDS: Readonly<Record<string, readonly string[]>> = {
  en: [
    'passport', 'passport no', 'passport number', 'visa', 'visa number', 'permit', 'residence permit', 'residence card',
    'work permit', 'brp', 'id', 'id card', 'id number', 'identity card', 'identity number', 'national id',
    'national insurance', 'ni number', 'nino', 'ssn', 'social security', 'itin', 'a-number', 'a number', 'anumber',
    'a#', 'alien number', 'alien registration', 'alien registration number', 'registration number', 'uscis',
    'receipt number', 'receipt', 'case number', 'case no', 'case', 'file number', 'file', 'reference', 'reference number',
    'ref', 'home office reference', 'port reference', 'unhcr', 'green card', 'ead', 'licence', 'license',
    'document number', 'card number', 'number', 'num', 'nr', 'no.', 'no:', 'n°', '#', 'dossier', 'ic', 'arc',
  ],
  es: [
    'pasaporte', 'visa', 'visado', 'nie', 'nif', 'dni', 'tie', 'cedula', 'curp', 'rfc', 'nss', 'seguridad social',
    'permiso de residencia', 'tarjeta de residencia', 'tarjeta de residente', 'residencia', 'expediente', 'carnet',
    'carne', 'documento', 'folio', 'numero', 'num', 'caso', 'registro', 'solicitud',
  ],
  fr: [
    'passeport', 'titre de sejour', 'carte de sejour', 'recepisse', 'numero etranger', "numero d'etranger", 'agdref',
    'ofpra', 'ofii', 'cnda', 'carte d identite', "carte d'identite", 'cni', 'securite sociale', 'carte vitale',
    'numero', 'num', 'dossier', 'attestation', 'ados',
  ],
  pt: [
    'passaporte', 'visto', 'autorizacao de residencia', 'titulo de residencia', 'cartao de residencia', 'cpf', 'rnm',
    'rne', 'crnm', 'protocolo', 'nif', 'niss', 'cartao de cidadao', 'documento', 'numero', 'processo', 'bi',
  ],
  de: ['reisepass', 'pass', 'aufenthaltstitel', 'aufenthaltserlaubnis', 'duldung', 'ausweis', 'aktenzeichen', 'nummer'],
  nl: ['paspoort', 'verblijfsvergunning', 'v-nummer', 'bsn', 'nummer'],
  ar: [
    'جواز', 'جواز سفر', 'جواز السفر', 'الجواز', 'رقم', 'رقمي', 'تاشيره', 'فيزا', 'الفيزا', 'اقامه', 'الاقامه', 'بطاقه',
    'هويه', 'الهويه', 'الرقم الوطني', 'رقم وطني', 'ملف', 'رقم الملف', 'رقم القضيه', 'المفوضيه', 'كرت', 'وثيقه',
  ],
  fa: [
    'پاسپورت', 'گذرنامه', 'ویزا', 'روادید', 'کارت اقامت', 'اقامت', 'شماره', 'کد ملی', 'کارت ملی', 'آمایش', 'پرونده',
    'شماره پرونده', 'کارت', 'تذکره',
  ],
  ps: ['پاسپورټ', 'تذکره', 'تذکرې', 'شمېره', 'شمیره', 'ویزه', 'اقامت', 'کارت', 'نمبر'],
  ur: ['پاسپورٹ', 'شناختی کارڈ', 'نمبر', 'ویزا', 'کارڈ', 'فائل', 'شناخت'],
  ru: [
    'паспорт', 'виза', 'визы', 'вид на жительство', 'внж', 'рвп', 'патент', 'снилс', 'инн', 'удостоверение', 'номер',
    'серия', 'миграционная карта', 'дело', 'документ',
  ],
  uk: ['паспорт', 'віза', 'посвідка', 'посвідка на проживання', 'номер', 'серія', 'іпн', 'рнокпп', 'картка', 'справа', 'документ'],
  tr: [
    'pasaport', 'vize', 'kimlik', 'kimlik no', 'kimlik numarasi', 'tc', 't.c.', 'tc no', 'ikamet', 'ikamet izni',
    'yabanci kimlik', 'numara', 'numarasi', 'numaram', 'dosya', 'kayit',
  ],
  so: ['baasaboor', 'baasaboorka', 'fiiso', 'fiisaha', 'lambar', 'lambarka', 'lambarkayga', 'aqoonsi', 'aqoonsiga', 'kaarka', 'tirsi'],
  am: ['ፓስፖርት', 'ቪዛ', 'መታወቂያ', 'ቁጥር', 'ቁጥሬ', 'ፋይል', 'ሰነድ'],
  ti: ['ፓስፖርት', 'ቪዛ', 'መንነት', 'ቁጽሪ', 'ቑጽሪ', 'ፋይል', 'ሰነድ'],
  zh: ['护照', '護照', '签证', '簽證', '身份证', '身份證', '居留证', '居留卡', '号码', '號碼', '编号', '证件号', '案号', '案件号'],
  hi: ['पासपोर्ट', 'वीज़ा', 'वीजा', 'आधार', 'नंबर', 'नम्बर', 'संख्या', 'पहचान पत्र', 'कार्ड', 'फाइल'],
  bn: ['পাসপোর্ট', 'ভিসা', 'নম্বর', 'নাম্বার', 'এনআইডি', 'জাতীয় পরিচয়পত্র', 'কার্ড'],
  ne: ['राहदानी', 'पासपोर्ट', 'भिसा', 'नागरिकता', 'नम्बर', 'नंबर', 'परिचयपत्र'],
  my: ['ပတ်စပို့', 'ဗီဇာ', 'မှတ်ပုံတင်', 'နံပါတ်'],
  vi: ['ho chieu', 'thi thuc', 'visa', 'cmnd', 'cccd', 'can cuoc', 'so', 'ma so', 'the cu tru', 'ho so'],
  id: ['paspor', 'nomor', 'nomer', 'ktp', 'nik', 'visa', 'kitas', 'kitap', 'berkas'],
  tl: ['pasaporte', 'numero', 'visa', 'id'],
  sw: ['pasipoti', 'kitambulisho', 'namba', 'nambari', 'viza', 'visa', 'faili'],
  ht: ['paspo', 'nimewo', 'kat idantite', 'viza', 'dosye'],
  ro: ['pasaport', 'viza', 'permis de sedere', 'numar', 'numarul', 'cnp', 'buletin', 'dosar'],
};
