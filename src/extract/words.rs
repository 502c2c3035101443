//! Closed word classes of English that name recognition leans on: titles, name connectors,
//! and the head nouns that tell an organisation, a place, an event or a named thing apart.
//! Grammar, not data about any article: nothing here names an entity.

use std::collections::HashMap;
use std::sync::LazyLock;

use foldhash::fast::FixedState;

/// Words of a title or role that stand before a personal name ("Russian Foreign Minister
/// Yevgeny Primakov", "Deputy Prime Minister Ana Lee"). Head words end a title.
pub fn is_title_head(word: &str) -> bool {
    title_word(word) == Some(TitleWord::Head)
}

/// What a word is to a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TitleWord {
    Head,
    /// A word that qualifies a title without ending it.
    Modifier,
}

/// One lookup for both questions, asked of most capitalised words: the heads, their
/// plurals (`Presidents Alfonsín and Sarney`, `Ministers`: an `s` after a head of more
/// than three letters) and the modifiers.
fn title_word(word: &str) -> Option<TitleWord> {
    // Most words asked about are names that no title word opens like.
    if !may_open(&TITLE_WORD_OPENINGS, word) {
        return None;
    }
    static WORDS: LazyLock<HashMap<Box<str>, TitleWord, FixedState>> = LazyLock::new(|| {
        let modifiers = TITLE_MODIFIERS
            .iter()
            .map(|&w| (w.into(), TitleWord::Modifier));
        let heads = TITLE_HEADS.iter().map(|&w| (w.into(), TitleWord::Head));
        let plurals = TITLE_HEADS
            .iter()
            .filter(|head| head.len() > 3)
            .map(|head| (format!("{head}s").into(), TitleWord::Head));
        // A head that is a modifier too (`Chief`) is a head.
        modifiers.chain(heads).chain(plurals).collect()
    });
    WORDS.get(word).copied()
}

/// The bit of `TITLE_WORD_OPENINGS` for a word of `len` bytes that opens with `word`'s
/// first two, case and all.
const fn title_bit(word: &[u8], len: usize) -> usize {
    let first = if word.is_empty() { 0 } else { word[0] as usize };
    let second = if word.len() < 2 { 0 } else { word[1] as usize };
    (first * 131 + second * 7 + len) % TITLE_BITS
}

const TITLE_BITS: usize = 4096;

/// A bit for each title word's `title_bit`, and each plural's: a filter with no false
/// negative before the lookup.
const TITLE_WORD_OPENINGS: Openings = openings(&[TITLE_HEADS, TITLE_MODIFIERS], true);

/// A bit for each of a few thousand `title_bit`s.
type Openings = [u64; TITLE_BITS / 64];

/// The `title_bit`s of the words of `lists`, and with `plurals` of each word with an `s`.
const fn openings(lists: &[&[&str]], plurals: bool) -> Openings {
    let mut bits = [0u64; TITLE_BITS / 64];
    let mut list = 0;
    while list < lists.len() {
        let mut i = 0;
        while i < lists[list].len() {
            let word = lists[list][i].as_bytes();
            let bit = title_bit(word, word.len());
            bits[bit / 64] |= 1 << (bit % 64);
            if plurals {
                let plural = title_bit(word, word.len() + 1);
                bits[plural / 64] |= 1 << (plural % 64);
            }
            i += 1;
        }
        list += 1;
    }
    bits
}

/// Whether a word of `openings` may be `word`.
fn may_open(openings: &Openings, word: &str) -> bool {
    let bit = title_bit(word.as_bytes(), word.len());
    openings[bit / 64] & (1 << (bit % 64)) != 0
}

#[rustfmt::skip]
const TITLE_HEADS: &[&str] = &[
    "President", "Minister", "Secretary", "Secretary-General", "Chancellor", "Premier",
    "Ambassador", "Envoy", "General", "Admiral", "Colonel", "Commander", "Marshal", "Senator",
    "Governor", "Mayor", "King", "Queen", "Prince", "Princess", "Emperor", "Sultan", "Emir",
    "Sheikh", "Ayatollah", "Pope", "Cardinal", "Bishop", "Archbishop", "Rabbi", "Imam",
    "Director", "Chairman", "Chairwoman", "Chair", "Chief", "CEO", "Head", "Leader",
    "Spokesman", "Spokeswoman", "Spokesperson", "Speaker", "Justice", "Judge", "Professor",
    "Prof.", "Dr.", "Mr.", "Mrs.", "Ms.", "Mx.", "Lt.", "Col.", "Gen.", "Sen.", "Rep.", "Gov.",
    "Adm.", "Sgt.", "Capt.", "Captain", "Lieutenant", "Sergeant", "Representative",
    "Congressman", "Congresswoman", "Councillor", "Councilor", "Commissioner", "Attorney",
    "Deputy", "Vice-President", "Lord", "Lady", "Sir", "Dame", "Tsar", "Czar", "Shah", "Crown",
    "Prosecutor", "Economist", "Analyst", "Author", "Editor", "Founder", "Officer", "Patriarch",
    "Metropolitan", "Comrade", "Field", "Supreme",
];

/// Words that qualify a title ("Foreign", "Prime", "Deputy", "former") without ending it,
/// and the heads.
pub fn is_title_modifier(word: &str) -> bool {
    title_word(word).is_some()
}

#[rustfmt::skip]
const TITLE_MODIFIERS: &[&str] = &[
    "Foreign", "Prime", "Deputy", "Vice", "Defense", "Defence", "Finance", "Interior", "Home",
    "Economy", "Economic", "Trade", "Energy", "Health", "Education", "Environment",
    "Agriculture", "Labour", "Labor", "Culture", "Transport", "Security", "National", "State",
    "Executive", "Managing", "Attorney", "Press", "Senior", "Junior", "Acting", "Interim",
    "Grand", "Chief", "First", "Assistant", "Associate", "Permanent", "Special", "former",
    "then", "late", "acting", "outgoing", "incoming", "de", "facto",
];

/// What a word in lower case is to a title, as newspapers write titles before a name
/// (`chief executive Ana Lee`, `the finance minister, Ken Obi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LowerCaseTitle {
    Head,
    /// A head that is as often another word in lower case (`general`, `head`, `judge`,
    /// `premier`): a head only where a determiner makes it a noun (`the head of …`).
    AmbiguousHead,
    Modifier,
}

/// `word`'s part in a title written in lower case; `None` for a word that is not in lower
/// case or no title word.
pub fn lower_case_title(word: &str) -> Option<LowerCaseTitle> {
    if !word.chars().next().is_some_and(char::is_lowercase) {
        return None;
    }
    // `former`, `acting`: modifiers listed in lower case; the rest by their capitalised form.
    let answer = title_word(word).or_else(|| with_capitalized(word, title_word))?;
    Some(match answer {
        TitleWord::Modifier => LowerCaseTitle::Modifier,
        TitleWord::Head if AMBIGUOUS_LOWER_CASE_HEADS.contains(&word) => {
            LowerCaseTitle::AmbiguousHead
        }
        TitleWord::Head => LowerCaseTitle::Head,
    })
}

/// False for a word that no title word is, as it stands or with its first letter in upper
/// case (ASCII): a filter with no false negative before `lower_case_title`, from the
/// first two bytes and the length.
pub fn may_be_lower_case_title_word(word: &[u8]) -> bool {
    let Some(&first) = word.first() else {
        return false;
    };
    let mut opening = [first, word.get(1).copied().unwrap_or(0)];
    let opening = &mut opening[..word.len().min(2)];
    let as_is = title_bit(opening, word.len());
    opening[0] = first.to_ascii_uppercase();
    let capitalized = title_bit(opening, word.len());
    [as_is, capitalized]
        .iter()
        .any(|&bit| TITLE_WORD_OPENINGS[bit / 64] & (1 << (bit % 64)) != 0)
}

/// Title heads that, in lower case, are as often an adjective or a verb (`in general`, `to
/// head`, `metropolitan France`).
#[rustfmt::skip]
const AMBIGUOUS_LOWER_CASE_HEADS: &[&str] = &[
    "general", "field", "supreme", "crown", "head", "chair", "judge", "justice", "lord", "lady",
    "sir", "dame", "premier", "metropolitan",
];

/// Lower-case words that may join the capitalised words of one name ("Plan of Action",
/// "Lula da Silva", "Organization for Security").
pub fn is_connector(word: &str) -> bool {
    // Asked of most words after a name and at both ends of each: most open with a byte
    // that opens no connector of their length, told without a comparison.
    if !may_be_short_word(&CONNECTOR_OPENINGS, word) {
        return false;
    }
    is_name_particle(word) || NAME_JOINERS.contains(&word)
}

/// Every word `is_connector` answers yes for.
pub fn connectors() -> impl Iterator<Item = &'static str> {
    NAME_PARTICLES.iter().chain(NAME_JOINERS).copied()
}

/// The connectors that are no name particle.
const NAME_JOINERS: &[&str] = &["of", "for", "on", "the", "and", "&"];

/// Connectors that join the parts of a personal name only.
pub fn is_name_particle(word: &str) -> bool {
    if !may_be_short_word(&NAME_PARTICLE_OPENINGS, word) {
        return false;
    }
    NAME_PARTICLES.contains(&word)
}

#[rustfmt::skip]
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "do", "dos", "das", "del", "della", "di", "du", "van", "von", "der", "den", "ter",
    "bin", "ibn", "al", "el", "la", "le", "y",
];

/// For each first byte, a bit for each length (1 to 8) of a word of `lists` that opens
/// with it: a filter with no false negative.
type ShortOpenings = [u8; 256];

const NAME_PARTICLE_OPENINGS: ShortOpenings = short_openings(&[NAME_PARTICLES]);
const CONNECTOR_OPENINGS: ShortOpenings = short_openings(&[NAME_PARTICLES, NAME_JOINERS]);

const fn short_openings(lists: &[&[&str]]) -> ShortOpenings {
    let mut bits = [0u8; 256];
    let mut list = 0;
    while list < lists.len() {
        let mut i = 0;
        while i < lists[list].len() {
            let word = lists[list][i].as_bytes();
            assert!(!word.is_empty() && word.len() <= 8);
            bits[word[0] as usize] |= 1 << (word.len() - 1);
            i += 1;
        }
        list += 1;
    }
    bits
}

/// Whether a word of `openings` may be `word`, by its first byte and length.
#[inline]
fn may_be_short_word(openings: &ShortOpenings, word: &str) -> bool {
    let (Some(&first), 1..=8) = (word.as_bytes().first(), word.len()) else {
        return false;
    };
    openings[usize::from(first)] & (1 << (word.len() - 1)) != 0
}

/// The kind that a name's head noun gives it ("Primakov Doctrine" is a named thing,
/// "Jerusalem Strategic Tribune" an organisation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadKind {
    Organization,
    Place,
    Event,
    Other,
}

pub fn head_kind(word: &str) -> Option<HeadKind> {
    // Asked of the words of every name, most of them no head noun.
    const OPENINGS: Openings = openings(
        &[ORGANIZATION_HEADS, PLACE_HEADS, EVENT_HEADS, OTHER_HEADS],
        false,
    );
    if !may_open(&OPENINGS, word) {
        return None;
    }
    static KINDS: LazyLock<HashMap<&'static str, HeadKind, FixedState>> = LazyLock::new(|| {
        let kinds = [
            (ORGANIZATION_HEADS, HeadKind::Organization),
            (PLACE_HEADS, HeadKind::Place),
            (EVENT_HEADS, HeadKind::Event),
            (OTHER_HEADS, HeadKind::Other),
        ];
        kinds
            .iter()
            .flat_map(|&(words, kind)| words.iter().map(move |&word| (word, kind)))
            .collect()
    });
    KINDS.get(word).copied()
}

#[rustfmt::skip]
const ORGANIZATION_HEADS: &[&str] = &[
    "Council", "Ministry", "Department", "Agency", "Bank", "Fund", "Union", "Organization",
    "Organisation", "Association", "Institute", "Institution", "University", "College",
    "School", "Academy", "Party", "Committee", "Commission", "Court", "Tribunal", "Army",
    "Navy", "Force", "Forces", "Guard", "Guards", "Corps", "Brigade", "Brigades",
    "Administration", "Assembly", "Parliament", "Congress", "Senate", "Cabinet", "Government",
    "Tribune", "Times", "Post", "Journal", "Review", "News", "Herald", "Gazette", "Observer",
    "Monitor", "Press", "Magazine", "Radio", "Television", "TV", "Network", "Corporation",
    "Company", "Inc.", "Inc", "Ltd", "Ltd.", "Group", "League", "Alliance", "Coalition",
    "Front", "Movement", "Office", "House", "Foundation", "Center", "Centre", "Authority",
    "Service", "Services", "Bureau", "Board", "Secretariat", "Directorate", "Police", "Militia",
    "Society", "Federation", "Trust", "Exchange", "Airlines", "Airways", "Railways",
    "Industries", "Holdings", "Chamber", "Club", "Church", "Mission", "Program", "Programme",
    "Project", "Palace", "Initiative", "Taskforce", "Caucus",
];

#[rustfmt::skip]
const PLACE_HEADS: &[&str] = &[
    "River", "Sea", "Ocean", "Gulf", "Mountains", "Mountain", "Mount", "Hills", "Province",
    "Region", "Valley", "Island", "Islands", "Peninsula", "Strait", "Straits", "Lake", "Desert",
    "Street", "Square", "Bay", "Canal", "Coast", "Basin", "Plateau", "Delta", "Airport", "Port",
    "Harbour", "Harbor", "District", "County", "Territory", "Territories", "Oblast",
    "Governorate", "Prefecture", "Plain", "Plains", "Falls", "Dam", "Bridge", "Pass",
    "Corridor", "Route", "Empire", "Kingdom", "Sultanate", "Caliphate", "Emirate", "Khanate",
];

#[rustfmt::skip]
const EVENT_HEADS: &[&str] = &[
    "War", "Revolution", "Crisis", "Spring", "Olympics", "Games", "Election", "Elections",
    "Conference", "Summit", "Uprising", "Massacre", "Pandemic", "Intifada", "Invasion",
    "Offensive", "Battle", "Siege", "Coup", "Referendum", "Talks", "Forum", "Congresses", "Cup",
    "Festival",
];

#[rustfmt::skip]
const OTHER_HEADS: &[&str] = &[
    "Doctrine", "Plan", "Treaty", "Treaties", "Agreement", "Agreements", "Accord", "Accords",
    "Act", "Law", "Declaration", "Protocol", "Convention", "Strategy", "Pact", "Charter",
    "Resolution", "Operation", "Report", "Deal", "Framework", "Memorandum", "Constitution",
    "Bill", "Code", "Directive", "Regulation", "Statute", "Index", "Prize", "Award", "Dome",
    "Pipeline", "Stream", "System", "Doctrines",
];

/// Lower-case nouns that make an organisation of the name before them ("the Obama
/// administration", "the Assad government").
pub fn is_organization_suffix(word: &str) -> bool {
    ORGANIZATION_SUFFIXES.contains(&word)
}

/// Prepositions of place: a name after one is likely a place (`in Tromsø`, `from Luleå`).
#[rustfmt::skip]
pub const LOCATIVE_PREPOSITIONS: &[&str] = &[
    "in", "at", "near", "from", "outside", "inside", "across", "throughout", "around", "toward",
    "towards", "via", "into",
];

/// The words `is_organization_suffix` answers yes for.
pub const ORGANIZATION_SUFFIXES: &[&str] = &["administration", "government", "cabinet", "campaign"];

/// Words that never begin a name, whatever their case: pronouns, determiners, conjunctions,
/// sentence adverbs. Checked before the common-word list, which lacks inflected forms.
pub fn is_function_word(word: &str) -> bool {
    // One function word at most has the slot of `word` (its first four letters in either
    // case and its length): compared without regard to case, with no lower-casing or lookup.
    let bytes = word.as_bytes();
    // The first four bytes in one load, as `function_word_slot` reads them one by one.
    let slot = match bytes.first_chunk::<4>() {
        Some(four) => slot_of_key(
            (u32::from_le_bytes(*four) | 0x2020_2020) ^ ((bytes.len() & 31) as u32) << 27,
        ),
        None => function_word_slot(bytes),
    };
    let candidate = usize::from(FUNCTION_WORD_AT[slot]);
    if candidate > 0
        && FUNCTION_WORDS[candidate - 1]
            .as_bytes()
            .eq_ignore_ascii_case(bytes)
    {
        return true;
    }
    // Unicode's lower case folds one letter outside ASCII into it: the Kelvin sign into `k`.
    !word.is_ascii() && word.contains('\u{212A}') && is_function_word(&word.to_lowercase())
}

const FUNCTION_WORD_SLOT_BITS: u32 = 10;

/// The slot in `FUNCTION_WORD_AT` of a word: its first four bytes (a letter in either case
/// alike) and its length, hashed by a multiplier under which no two function words share one.
const fn function_word_slot(word: &[u8]) -> usize {
    let mut key = ((word.len() & 31) as u32) << 27;
    let mut i = 0;
    while i < word.len() && i < 4 {
        key ^= ((word[i] | 0x20) as u32) << (8 * i);
        i += 1;
    }
    slot_of_key(key)
}

const fn slot_of_key(key: u32) -> usize {
    (key.wrapping_mul(0xE8F6_DDE5) >> (32 - FUNCTION_WORD_SLOT_BITS)) as usize
}

/// For each slot (`function_word_slot`), the function word that has it (its place in
/// `FUNCTION_WORDS` plus one), or 0.
const FUNCTION_WORD_AT: [u8; 1 << FUNCTION_WORD_SLOT_BITS] = {
    let mut at = [0u8; 1 << FUNCTION_WORD_SLOT_BITS];
    let mut i = 0;
    while i < FUNCTION_WORDS.len() {
        let slot = function_word_slot(FUNCTION_WORDS[i].as_bytes());
        assert!(at[slot] == 0, "two function words share a slot");
        at[slot] = (i + 1) as u8;
        i += 1;
    }
    at
};

/// The bit of `CALENDAR_OPENINGS` for a word of ASCII bytes.
const fn opening_bit(word: &[u8]) -> usize {
    opening_bit_with_len(word, word.len())
}

/// `opening_bit` of a word that opens as `word` does and has `len` bytes.
const fn opening_bit_with_len(word: &[u8], len: usize) -> usize {
    let (first, second) = (lower_byte_at(word, 0), lower_byte_at(word, 1));
    (first * 131 + second * 7 + len) % OPENING_BITS
}

const fn lower_byte_at(word: &[u8], at: usize) -> usize {
    if at < word.len() {
        word[at].to_ascii_lowercase() as usize
    } else {
        0
    }
}

const OPENING_BITS: usize = 4096;

#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we",
    "i", "you", "his", "her", "their", "our", "my", "your", "and", "but", "or", "nor", "so",
    "yet", "for", "if", "when", "while", "as", "at", "by", "in", "on", "of", "to", "from",
    "with", "without", "after", "before", "since", "until", "during", "despite", "although",
    "though", "because", "however", "meanwhile", "thereafter", "nevertheless", "moreover",
    "furthermore", "instead", "indeed", "still", "also", "even", "all", "some", "many", "most",
    "much", "such", "both", "each", "every", "no", "not", "there", "here", "what", "which",
    "who", "whom", "whose", "where", "why", "how", "once", "then", "now", "today", "yesterday",
    "tomorrow", "amid", "among", "against", "over", "under", "between", "into", "through",
    "across", "about", "above", "below", "beyond", "upon", "within", "whether", "than",
    "unlike", "like", "per", "via",
];

/// The month whose name is also a person's (`Theresa May`): a month only beside a number
/// (`May 2012`, `3 May`), which the name reader looks at its neighbours for.
pub const MONTH_OR_NAME: &str = "May";

/// Month and weekday names: capitalised, never entities.
pub fn is_calendar_word(word: &str) -> bool {
    // Asked of most capitalised words, most of which open with a letter that opens no month
    // or weekday name, or are too long for one (`September.` is the longest).
    let opens_like_one = word.as_bytes().first().is_some_and(|first| {
        matches!(
            first.to_ascii_lowercase(),
            b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd' | b't' | b'w'
        )
    });
    if !opens_like_one || word.len() > 10 || !may_be_calendar_word(word.as_bytes()) {
        return false;
    }
    crate::edtf::month_from_name(word).is_some_and(|_| word.len() > 3 || word.ends_with('.'))
        || matches!(
            word,
            "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
        )
}

/// Whether a month or weekday name (or a month's abbreviation, with its period or not)
/// opens with the first two letters of `word` (in either case) and has its length: a
/// filter with no false negative, where most capitalised words that open like one
/// (`Mr`, `Secretary`, `Tehran`) were lower-cased and compared.
fn may_be_calendar_word(word: &[u8]) -> bool {
    let bit = opening_bit(word);
    CALENDAR_OPENINGS[bit / 64] & (1 << (bit % 64)) != 0
}

#[rustfmt::skip]
const CALENDAR_WORDS: &[&str] = &[
    "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
    "jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
    "november", "dec", "december", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday",
];

/// A bit for each calendar word's `opening_bit`, and for it with a period.
const CALENDAR_OPENINGS: [u64; OPENING_BITS / 64] = {
    let mut bits = [0u64; OPENING_BITS / 64];
    let mut i = 0;
    while i < CALENDAR_WORDS.len() {
        let word = CALENDAR_WORDS[i].as_bytes();
        let bit = opening_bit(word);
        bits[bit / 64] |= 1 << (bit % 64);
        let with_period = opening_bit_with_len(word, word.len() + 1);
        bits[with_period / 64] |= 1 << (with_period % 64);
        i += 1;
    }
    bits
};

/// Whether `word`, as it stands or with its first letter in upper case, passes `test`: a
/// word that capitalizing leaves as it is (most start with a capital or a symbol) is tested
/// once, with no copy.
pub fn as_is_or_capitalized(word: &str, test: impl Fn(&str) -> bool) -> bool {
    let capitalized_already = word
        .as_bytes()
        .first()
        .is_none_or(|b| b.is_ascii() && !b.is_ascii_lowercase());
    test(word) || (!capitalized_already && with_capitalized(word, test))
}

/// `answer` of `word` with its first letter in upper case: an ASCII word of a usual length
/// capitalized on the stack, any other through `capitalize`.
pub fn with_capitalized<T>(word: &str, answer: impl FnOnce(&str) -> T) -> T {
    let mut bytes = [0u8; 32];
    match bytes.get_mut(..word.len()) {
        Some(copy) if word.is_ascii() => {
            copy.copy_from_slice(word.as_bytes());
            if let Some(first) = copy.first_mut() {
                first.make_ascii_uppercase();
            }
            answer(std::str::from_utf8(copy).unwrap_or_default())
        }
        _ => answer(&capitalize(word)),
    }
}

/// `word` with its first letter in upper case. Most words start with an ASCII letter: those
/// are changed in place of a copy made a character at a time.
fn capitalize(word: &str) -> String {
    match word.as_bytes().first() {
        Some(first) if first.is_ascii() => {
            let mut capitalized = word.to_string();
            capitalized[..1].make_ascii_uppercase();
            capitalized
        }
        _ => {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests;
