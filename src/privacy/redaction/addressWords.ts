/**
 * Words that make a number an address, by how the language orders them. Folded before use. Kept to words
 * that mean "street" and little else: "place", "park" or "way" next to a number is too often something else
 * ("a place for 3", "2 tickets to the park").
 */

/** Street types written after the name: "12 Chapel Street", "221b Baker St". */
export const STREET_SUFFIXES: readonly string[] = [
  'street', 'st', 'road', 'rd', 'avenue', 'ave', 'lane', 'ln', 'crescent', 'terrace', 'gardens', 'gdns', 'mews',
  'boulevard', 'blvd', 'parkway', 'highway', 'hwy',
];

/** Suffixes that are also ordinary words: only with one or two name words before them ("12 Acacia Close"). */
export const AMBIGUOUS_STREET_SUFFIXES: readonly string[] = [
  'close', 'way', 'court', 'drive', 'place', 'square', 'hill', 'grove', 'row', 'walk', 'rise', 'green', 'park',
];

/** Words that cannot be the name of a street, to tell "12 Acacia Close" from "3 kids in the park". */
export const NOT_STREET_NAMES: readonly string[] = [
  'the', 'a', 'an', 'to', 'in', 'at', 'on', 'of', 'for', 'and', 'or', 'my', 'our', 'your', 'his', 'her', 'with',
  'from', 'near', 'by', 'big', 'small', 'kids', 'children', 'people', 'persons', 'days', 'weeks', 'months', 'hours',
  'minutes', 'mins', 'times', 'years', 'friends', 'more', 'other', 'very', 'too', 'is', 'are', 'was',
];

/** French and Haitian street types, written after the number and before the name: "5 rue de la Paix". */
export const STREET_TYPES_AFTER_NUMBER: readonly string[] = [
  'rue', 'avenue', 'av', 'boulevard', 'bd', 'bld', 'impasse', 'allee', 'chemin', 'place', 'quai', 'cours', 'route',
  'square', 'passage', 'ri', 'lari', 'calle', 'rua', 'street',
];

/** Street types written before the name, the number after it: "calle Mayor 5", "улица Ленина, д. 5". */
export const STREET_TYPES_BEFORE_NAME: readonly string[] = [
  'calle', 'c/', 'avenida', 'avda', 'carrer', 'carretera', 'travesia', 'rua', 'travessa', 'praca', 'estrada', 'alameda',
  'strada', 'str', 'bulevardul', 'bdul', 'soseaua', 'calea', 'aleea', 'kalye',
  'شارع', 'خیابان', 'کوچه', 'بلوار', 'کوڅه', 'سړک', 'گلی', 'سڑک', 'محلہ',
  'улица', 'ул', 'проспект', 'пр-т', 'переулок', 'пер', 'бульвар', 'шоссе', 'набережная', 'вулиця', 'вул', 'провулок',
  'jalan', 'jl', 'jln', 'duong', 'pho', 'ngo', 'hem', 'mtaa', 'barabara', 'waddada', 'wadada', 'jidka',
  'गली', 'सड़क', 'मार्ग', 'রোড', 'সড়ক',
];

/** Street types that mark an address even without a number in these scripts ("ساكن في شارع الحمرا"). */
export const STREET_TYPES_WITHOUT_NUMBER: readonly string[] = [
  'شارع', 'زقاق', 'خیابان', 'کوچه', 'کوڅه', 'улица', 'ул.', 'вулиця', 'вул.', 'переулок', 'провулок', 'проспект',
];

/** Words before a house or flat number: "flat 4b", "apt 3", "квартира 15", "मकान नंबर 12", "የቤት ቁጥር 123". */
export const HOUSE_NUMBER_WORDS: readonly string[] = [
  'house no', 'house number', 'flat', 'flat no', 'apartment', 'apt', 'piso', 'departamento', 'depto', 'apartamento',
  'apto', 'appartement', 'appt', 'bloc', 'квартира', 'кв', 'дом', 'д', 'будинок', 'буд', 'daire', 'منزل رقم', 'شقة',
  'بناية', 'عمارة', 'مکان نمبر', 'मकान', 'मकान नंबर', 'मकान नं', 'फ्लैट', 'বাড়ি নং', 'घर नम्बर', 'lambarka guriga',
  'የቤት ቁጥር', 'ቁጽሪ ገዛ', 'အမှတ်', 'so nha', 'nomor rumah', 'kay nimewo', 'bloque', 'portal',
];

/** Say-where-you-live phrases, after which the rest of the sentence is the address. */
export const ADDRESS_PHRASES: readonly string[] = [
  'my address is', 'my address', 'address:', 'home address', 'i live at', 'we live at', 'i stay at',
  'mi direccion es', 'mi direccion', 'direccion:', 'vivo en la calle', 'vivo en calle', 'vivo en la avenida', 'mi domicilio',
  'mon adresse est', 'mon adresse', 'adresse:', "j'habite au", "j'habite rue", "j'habite a l'adresse",
  'meu endereco e', 'meu endereco', 'endereco:', 'moro na rua', 'moro na avenida',
  'adresa mea', 'locuiesc pe strada', 'adres mwen', 'mwen rete nan ri',
  'عنواني', 'عنوان سكني', 'العنوان:', 'اسكن في شارع', 'ساكن في شارع', 'آدرس من', 'آدرسم', 'نشانی من', 'زما پته', 'زما ادرس',
  'میرا پتہ', 'мой адрес', 'адрес:', 'живу по адресу', 'моя адреса', 'живу за адресою', 'adresim', 'adres:',
  'cinwaankaygu', 'ciwaankaygu', 'anwani yangu', 'alamat saya', 'alamat:', 'address ko', 'nakatira ako sa',
  'dia chi cua toi', 'dia chi:', 'मेरा पता', 'मेरो ठेगाना', 'আমার ঠিকানা', 'አድራሻዬ', 'ኣድራሻይ', '我的地址', '我住在', 'လိပ်စာ',
];

/** Cities typed in lower case next to a five-digit postcode ("75011 paris"). */
export const POSTCODE_CITIES: readonly string[] = [
  'paris', 'lyon', 'marseille', 'toulouse', 'nice', 'nantes', 'strasbourg', 'montpellier', 'bordeaux', 'lille', 'rennes',
  'calais', 'madrid', 'barcelona', 'valencia', 'sevilla', 'malaga', 'bilbao', 'zaragoza', 'murcia', 'almeria', 'berlin',
  'hamburg', 'munchen', 'munich', 'koln', 'frankfurt', 'stuttgart', 'dusseldorf', 'leipzig', 'dresden', 'roma', 'milano',
];

/** Words that introduce a postcode. */
export const POSTCODE_WORDS: readonly string[] = [
  'postcode', 'post code', 'postal code', 'zip', 'zip code', 'cp', 'c.p.', 'codigo postal', 'code postal', 'plz',
  'postleitzahl', 'индекс', 'почтовый индекс', 'поштовий індекс', 'posta kodu', 'الرمز البريدي', 'کد پستی', 'kode pos',
  'ma buu dien',
];

/** Currency words that follow a five-digit amount, which is then not a postcode ("10000 Euros"). */
export const CURRENCY_WORDS: readonly string[] = ['Euro', 'Euros', 'EUR', 'Dollar', 'Dollars', 'USD', 'Pound', 'Pounds', 'GBP', 'Lira', 'TL', 'Peso', 'Pesos', 'Rubles', 'Birr', 'Shilling'];
