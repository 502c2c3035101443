//! A deterministic synthetic corpus on disk: news-like sources about people, places and
//! organisations, in both source formats (plain text in the seed's layout, and Markdown with
//! YAML front matter), 4–7 KB each, with a `dossier.toml`.
//!
//! Source `i` depends only on the seed and `i`, so the 1k corpus is the first thousand files
//! of the 10k one. People, places and organisations come from shared pools with a skewed
//! (Zipf-like) popularity, so that some entities appear in thousands of sources, as in a real
//! archive, and most in a few.

use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: deterministic and fast; nothing here needs more.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // Never zero, and well mixed even for small seeds.
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xd1b5_4a32_d192_ed03 | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Roughly Zipf: rank r with probability about 1/r.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub const SEED: u64 = 0x00d0_5513_2026;

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Anna", "Boris", "Carlos", "Dmitri", "Elena", "Farid", "Gustavo", "Hana", "Ivan", "Jamal",
    "Katarzyna", "Leila", "Mikhail", "Nadia", "Omar", "Pavel", "Qasim", "Rania", "Sergei",
    "Tamara", "Umar", "Valentina", "Wei", "Xavier", "Yusuf", "Zeynep", "Ahmad", "Bianca",
    "Chen", "Daria", "Emre", "Fatima", "Georg", "Hassan", "Irina", "José", "Kenji", "Lucía",
    "Marek", "Nikolai", "Olga", "Pedro", "Reza", "Sofia", "Tomasz", "Ulrich", "Viktor",
    "Yevgeny", "Zhang", "Ali", "Béatrice", "Cem", "Dilnoza", "Erik", "François", "Gulnara",
    "Hiroshi", "Ilan", "Jakub", "Kamal", "Lars", "Mariam", "Nasser", "Oksana", "Priya",
    "Rustam", "Saeed", "Tariq", "Ursula", "Vladimir", "Walid", "Yasmin", "Zoltán", "Aleksandr",
    "Björn", "Chiara", "Dong", "Esra", "Faisal", "Grigory",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Petrov", "Kowalski", "Haddad", "Rahimi", "Novak", "Ivanova", "Schmidt", "García", "Müller",
    "Öztürk", "Nguyen", "Kim", "Tanaka", "Rossi", "Dubois", "Jansen", "Andersson", "Nowak",
    "Kovalenko", "Shevchenko", "Volkov", "Sokolov", "Mahmoud", "Karimi", "Hosseini", "Yilmaz",
    "Demir", "Aziz", "Khan", "Singh", "Sharma", "Li", "Wang", "Liu", "Zhao", "Sato", "Suzuki",
    "Park", "Lee", "Fernández", "López", "Martínez", "Silva", "Santos", "Costa", "Horvat",
    "Kovač", "Popescu", "Ionescu", "Nagy", "Szabó", "Lindqvist", "Berg", "Virtanen", "Korhonen",
    "O'Brien", "Murphy", "Walsh", "Brennan", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
    "Lefebvre", "Moreau", "Laurent", "Bianchi", "Romano", "Ricci", "Esposito", "Novotný",
    "Dvořák", "Černý", "Kuznetsov", "Smirnov", "Popov", "Lebedev", "Morozov", "Abdullah",
    "Rahman", "Hussein", "Saleh", "Nasser", "Farouk", "Mansour", "Darwish", "Tehrani",
    "Mousavi", "Ebrahimi", "Jafari", "Rostami", "Aliyev", "Mammadov", "Nazarbayev", "Tokayev",
    "Karimov", "Rakhimov", "Berman", "Quill", "Roe", "Ashworth", "Pemberton", "Whitaker",
    "Castellanos", "Okafor", "Adeyemi", "Mensah", "Owusu", "Kamau", "Mwangi", "Banda", "Phiri",
];

const ROLES: &[&str] = &[
    "Foreign Minister",
    "Defence Minister",
    "Deputy Prime Minister",
    "Energy Minister",
    "President",
    "Prime Minister",
    "ambassador",
    "senior adviser",
    "general",
    "spokesperson",
    "central bank governor",
    "chief negotiator",
];

/// Places the built-in gazetteer knows (so that they resolve and carry descriptions).
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Tehran", "Moscow", "Ankara", "Kyiv", "Baku", "Tbilisi", "Yerevan", "Beijing", "Damascus",
    "Baghdad", "Riyadh", "Doha", "Dubai", "Cairo", "Istanbul", "Minsk", "Warsaw", "Berlin",
    "Paris", "London", "Brussels", "Vienna", "Geneva", "Astana", "Tashkent", "Almaty",
    "Islamabad", "New Delhi", "Kabul", "Beirut", "Amman", "Jerusalem", "Muscat", "Caracas",
    "Havana", "Pyongyang", "Seoul", "Tokyo", "Washington", "Odesa", "Kharkiv", "Aleppo",
    "Mosul", "Basrah", "Isfahan", "Tabriz", "Mashhad", "Shiraz", "Iran", "Russia", "Turkey",
    "Ukraine", "Azerbaijan", "Armenia", "Georgia", "China", "Syria", "Iraq", "Saudi Arabia",
    "Qatar", "Egypt", "Belarus", "Poland", "Germany", "France", "Kazakhstan", "Uzbekistan",
    "Pakistan", "India", "Afghanistan", "Lebanon", "Jordan", "Israel", "Oman", "Venezuela",
    "Cuba", "North Korea", "South Korea", "Japan", "Caspian Sea", "Central Asia",
    "South Caucasus", "Persian Gulf", "Middle East", "Black Sea", "Crimea", "Donbas",
];

#[rustfmt::skip]
const ORGANISATIONS: &[&str] = &[
    "NATO", "European Union", "United Nations Security Council",
    "International Atomic Energy Agency", "Shanghai Cooperation Organisation",
    "Collective Security Treaty Organization", "Eurasian Economic Union", "OPEC", "World Bank",
    "International Monetary Fund", "Gulf Cooperation Council", "Kremlin", "State Duma",
    "Majlis", "Caspian Shipping Company", "Rosatom", "Gazprom",
    "Islamic Revolutionary Guard Corps", "Ministry of Defence", "Central Bank of Iran",
    "Northern Grain Consortium", "Baltic Energy Partnership", "Institute for Eurasian Studies",
    "Council on Regional Security",
];

#[rustfmt::skip]
const PUBLICATIONS: &[&str] = &[
    "The Jerusalem Strategic Tribune", "Foreign Affairs Review", "The Caspian Observer",
    "Eurasia Daily Monitor", "The Diplomat", "Middle East Quarterly", "Global Security Brief",
    "The Moscow Times", "Tehran Bureau", "Arms Control Today", "The Economist", "Survival",
    "War on the Rocks", "The National Interest", "Policy Review", "Strategic Comments",
];

#[rustfmt::skip]
const CATEGORIES: &[&str] = &[
    "Arms Control and Proliferation", "Economic Sanctions", "International Economics and Trade",
    "Public Diplomacy and Information Operations", "Warfare", "Energy Security",
    "Maritime Security", "Terrorism", "Cyber", "Iran", "Russia", "China", "Turkey",
    "Central Asia",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "partnership", "agreement", "pipeline", "sanctions", "drones", "missiles", "grain", "oil",
    "gas", "corridor", "railway", "port", "talks", "summit", "delegation", "treaty", "exports",
    "imports", "reactor", "enrichment", "inspectors", "tankers", "shipments", "loans", "debt",
    "currency", "reserves", "tariffs", "contract", "consortium", "refinery", "border",
    "checkpoint", "militia", "brigade", "airbase", "satellite", "radar", "frigate", "submarine",
    "ceasefire", "offensive", "blockade", "embargo", "investment", "infrastructure", "election",
    "parliament", "ministry", "coalition", "alliance", "negotiations", "framework",
    "memorandum", "protocol", "exercise", "deployment", "airspace", "convoy", "cargo",
    "smuggling", "network", "refugees", "aid", "reconstruction", "bank", "payments", "transit",
    "route", "terminal",
];

#[rustfmt::skip]
const VERBS: &[&str] = &[
    "signed", "expanded", "suspended", "announced", "rejected", "financed", "delivered",
    "blocked", "approved", "negotiated", "reviewed", "extended", "cancelled", "launched",
    "criticised", "welcomed", "postponed", "tightened", "eased", "inspected", "funded",
    "supplied", "acquired", "transferred", "reported", "confirmed", "denied", "questioned",
];

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "strategic", "economic", "military", "bilateral", "regional", "nuclear", "naval", "western",
    "northern", "southern", "eastern", "diplomatic", "commercial", "financial", "long-term",
    "unprecedented", "limited", "covert", "formal", "informal", "joint", "temporary",
    "permanent", "reciprocal", "multilateral", "fragile", "durable", "secret", "public",
];

#[rustfmt::skip]
const FILLER: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "was", "for", "on", "with", "by", "as", "its",
    "their", "from", "at", "which", "had", "were", "over", "after", "under", "between",
];

#[rustfmt::skip]
const SYLLABLES: &[&str] = &[
    "ka", "mi", "dro", "ne", "tor", "ran", "vel", "is", "ber", "man", "sto", "lu", "qui", "gar",
    "en", "tal", "mo", "sk", "ri", "pa", "zon", "dut", "ex", "or",
];

const UNITS: &[&str] = &[
    "drones",
    "tonnes of grain",
    "barrels a day",
    "million dollars",
    "billion dollars",
    "troops",
    "tankers",
    "missiles",
    "percent of its exports",
    "kilometres of track",
];

/// The shared pools every source draws from.
pub struct Pools {
    /// `First Last`, about 20k of them, with a role each.
    people: Vec<(String, &'static str)>,
    /// Rare words: the long tail of the vocabulary (code names, transliterations).
    rare: Vec<String>,
}

impl Pools {
    pub fn new() -> Pools {
        let mut rng = Rng::new(SEED);
        let mut people = Vec::new();
        for last in LAST_NAMES {
            for first in FIRST_NAMES {
                if rng.chance(25) {
                    people.push((format!("{first} {last}"), *rng.pick(ROLES)));
                }
            }
        }
        // Shuffle, so that popularity (Zipf rank) does not follow the alphabet.
        for i in (1..people.len()).rev() {
            let j = rng.below(i + 1);
            people.swap(i, j);
        }
        let rare = (0..20_000)
            .map(|_| {
                let syllables = 3 + rng.below(3);
                (0..syllables).map(|_| *rng.pick(SYLLABLES)).collect()
            })
            .collect();
        Pools { people, rare }
    }

    /// Every person's full name, for finding mentions in the brief.
    pub fn person_names(&self) -> impl Iterator<Item = &str> {
        self.people.iter().map(|(name, _)| name.as_str())
    }
}

pub fn place_names() -> &'static [&'static str] {
    PLACES
}

/// A date in one of the ways news text writes it.
fn written_date(rng: &mut Rng, year: usize) -> String {
    let month = rng.below(12);
    let day = 1 + rng.below(28);
    match rng.below(9) {
        0 => format!("in {} {year}", MONTHS[month]),
        1 => format!("on {day} {} {year}", MONTHS[month]),
        2 => format!("on {} {day}, {year}", MONTHS[month]),
        3 => format!("on {year}-{:02}-{day:02}", month + 1),
        4 => format!("in the {}0s", year / 10),
        5 => format!("from {year} to {}", year + 1 + rng.below(4)),
        6 => format!("in {year}–{}", year + 1 + rng.below(4)),
        7 => format!("in early {year}"),
        _ => format!("in the spring of {year}"),
    }
}

struct Cast<'a> {
    people: Vec<(&'a str, &'static str)>,
    places: Vec<&'static str>,
    organisations: Vec<&'static str>,
    /// People already introduced by full name and role.
    introduced: Vec<bool>,
}

fn last_name(full: &str) -> &str {
    full.rsplit(' ').next().unwrap_or(full)
}

fn words(rng: &mut Rng, pools: &Pools, count: usize, out: &mut String) {
    for _ in 0..count {
        out.push(' ');
        match rng.below(100) {
            0..35 => out.push_str(rng.pick::<&str>(FILLER)),
            35..60 => out.push_str(rng.pick::<&str>(NOUNS)),
            60..72 => out.push_str(rng.pick::<&str>(ADJECTIVES)),
            72..84 => out.push_str(rng.pick::<&str>(VERBS)),
            84..88 => out.push_str(&pools.rare[rng.zipf(pools.rare.len())]),
            _ => out.push_str(rng.pick::<&str>(FILLER)),
        }
    }
}

fn person<'a>(rng: &mut Rng, cast: &mut Cast<'a>) -> String {
    let at = rng.below(cast.people.len());
    let (name, role) = cast.people[at];
    if cast.introduced[at] {
        if rng.chance(50) {
            last_name(name).to_string()
        } else {
            name.to_string()
        }
    } else {
        cast.introduced[at] = true;
        let place = cast.places[0];
        match rng.below(3) {
            0 => format!("{place}'s {role} {name}"),
            1 => format!("{name}, the {role},"),
            _ => format!("{role} {name}"),
        }
    }
}

fn sentence(rng: &mut Rng, pools: &Pools, cast: &mut Cast, year: usize, out: &mut String) {
    let place = *rng.pick(&cast.places);
    let mut other = *rng.pick(&cast.places);
    if other == place {
        other = cast
            .places
            .iter()
            .copied()
            .find(|p| *p != place)
            .unwrap_or("Geneva");
    }
    let organisation = *rng.pick(&cast.organisations);
    let back = rng.below(6);
    let date = written_date(rng, year.saturating_sub(back));
    let start = out.len();
    match rng.below(8) {
        0 => {
            let who = person(rng, cast);
            let _ = write!(
                out,
                "{who} traveled to {place} {date} to meet officials of the {organisation}"
            );
        }
        1 => {
            let number = 10 + rng.below(990);
            let unit = rng.pick(UNITS);
            let _ = write!(
                out,
                "According to the {organisation}, {number} {unit} reached {place} {date}"
            );
        }
        2 => {
            let noun = rng.pick(NOUNS);
            let _ = write!(
                out,
                "{place} and {other} {} a {} {noun} {date}",
                rng.pick(VERBS),
                rng.pick(ADJECTIVES)
            );
        }
        3 => {
            let who = person(rng, cast);
            let _ = write!(out, "{who} said that the");
            let count = 6 + rng.below(6);
            words(rng, pools, count, out);
            let _ = write!(out, " would not change the position of {place}");
        }
        4 => {
            let from = year - 5 - rng.below(20);
            let _ = write!(
                out,
                "Between {from} and {}, the {organisation} {} {} percent of the",
                from + 2 + rng.below(8),
                rng.pick(VERBS),
                1 + rng.below(99),
            );
            let count = 3 + rng.below(4);
            words(rng, pools, count, out);
        }
        _ => {
            let _ = write!(out, "The {}", rng.pick::<&str>(ADJECTIVES));
            let count = 10 + rng.below(12);
            words(rng, pools, count, out);
            let _ = write!(out, " in {place}");
        }
    }
    // Capitalise the first letter (a role like "ambassador" may open the sentence).
    if let Some(first) = out[start..].chars().next()
        && first.is_lowercase()
    {
        let upper: String = first.to_uppercase().collect();
        out.replace_range(start..start + first.len_utf8(), &upper);
    }
    out.push('.');
}

fn paragraph(rng: &mut Rng, pools: &Pools, cast: &mut Cast, year: usize) -> String {
    let mut out = String::with_capacity(480);
    for number in 0..3 + rng.below(3) {
        if number > 0 {
            out.push(' ');
        }
        sentence(rng, pools, cast, year, &mut out);
    }
    out
}

/// One source's text, and whether it is Markdown.
pub fn source_text(pools: &Pools, index: usize) -> (String, bool) {
    let mut rng = Rng::new(SEED ^ (index as u64).wrapping_mul(0x0100_0000_01b3));
    let year = 1995 + rng.below(31);
    let month = rng.below(12);
    let day = 1 + rng.below(28);
    let author = &pools.people[rng.zipf(pools.people.len())].0;
    let publication = rng.pick(PUBLICATIONS);
    let people_count = 3 + rng.below(4);
    let mut cast = Cast {
        people: (0..people_count)
            .map(|_| {
                let (name, role) = &pools.people[rng.zipf(pools.people.len())];
                (name.as_str(), *role)
            })
            .collect(),
        places: (0..3 + rng.below(4))
            .map(|_| PLACES[rng.zipf(PLACES.len())])
            .collect(),
        organisations: (0..2 + rng.below(2))
            .map(|_| ORGANISATIONS[rng.zipf(ORGANISATIONS.len())])
            .collect(),
        introduced: vec![false; people_count],
    };
    let title = format!(
        "{} and {}: {} {} after {year}",
        cast.places[0],
        cast.places[1],
        capitalised(rng.pick::<&str>(ADJECTIVES)),
        rng.pick(NOUNS),
    );
    let categories: Vec<&str> = (0..rng.below(4)).map(|_| *rng.pick(CATEGORIES)).collect();
    let markdown = index % 3 == 2;
    let mut text = String::with_capacity(7000);
    if markdown {
        let _ = write!(
            text,
            "---\ntitle: \"{title}\"\nauthor: {author}\ndate: {year}-{:02}-{day:02}\npublisher: {publication}\n",
            month + 1
        );
        if !categories.is_empty() {
            let _ = writeln!(text, "categories: [{}]", categories.join(", "));
        }
        let _ = write!(text, "---\n\n# {title}\n\n");
    } else {
        let _ = write!(
            text,
            "{title}\n\n{} {day}, {year} {author} {publication}\n\n",
            MONTHS[month]
        );
        if !categories.is_empty() {
            let _ = write!(text, "Related Categories: {}\n\n", categories.join("; "));
        }
    }
    let paragraphs = 10 + rng.below(8);
    for number in 0..paragraphs {
        if number > 0 && number % 4 == 0 {
            let heading = format!(
                "{} {} in {}",
                capitalised(rng.pick::<&str>(ADJECTIVES)),
                rng.pick(NOUNS),
                rng.pick(&cast.places)
            );
            if markdown {
                let _ = write!(text, "## {heading}\n\n");
            } else {
                let _ = write!(text, "{heading}\n\n");
            }
        }
        text.push_str(&paragraph(&mut rng, pools, &mut cast, year));
        text.push_str("\n\n");
    }
    if !markdown {
        let _ = writeln!(text, "© {year} - {publication}");
    }
    (text, markdown)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Writes `count` sources under `root/sources` (a thousand to a folder) and `dossier.toml`.
/// Returns the bytes written.
pub fn write_corpus(root: &Path, count: usize, pools: &Pools) -> std::io::Result<u64> {
    std::fs::write(
        root.join("dossier.toml"),
        "[corpus]\npaths = [\"sources\"]\n",
    )?;
    let mut bytes = 0;
    for index in 0..count {
        let (text, markdown) = source_text(pools, index);
        let folder = root.join("sources").join(format!("{:03}", index / 1000));
        if index % 1000 == 0 {
            std::fs::create_dir_all(&folder)?;
        }
        let extension = if markdown { "md" } else { "txt" };
        std::fs::write(folder.join(format!("{index:06}.{extension}")), &text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}
