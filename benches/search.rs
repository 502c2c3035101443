//! Paragraph search and key completion at 1k and 10k synthetic sources (100k with
//! `DOSSIER_BENCH_100K=1`): build time and speed, heap bytes, peak memory, and p50/p99 of
//! 1000 searches and 1000 key finds, with a checksum of the results so that nothing can win
//! by doing nothing. Run with `cargo bench --bench search`.
#![allow(clippy::print_stdout, reason = "a benchmark reports on stdout")]

use std::time::{Duration, Instant};

use dossier::corpus::{Origin, Paragraph, Source, keys};
use dossier::edtf::Edtf;
use dossier::index::{ParagraphSearch, SourceFinder, SourceInfo};

/// Paragraphs per source and words per paragraph: about 5 KB a source, as in issue 8.
const PARAGRAPHS: usize = 20;
const WORDS: usize = 40;
const VOCABULARY: usize = 50_000;
const NAMES: usize = 5_000;
const STOP: [&str; 12] = [
    "the", "of", "and", "to", "in", "a", "that", "was", "for", "on", "with", "by",
];
const SYLLABLES: [&str; 24] = [
    "ka", "mi", "dro", "ne", "tor", "ran", "vel", "is", "ber", "man", "sto", "lu", "qui", "gar",
    "en", "tal", "mo", "sk", "ri", "pa", "zon", "dut", "ex", "or",
];

/// xorshift64*: deterministic, and enough for shuffling words.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Roughly Zipf: rank r with probability about 1/r.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

fn made_up_word(rng: &mut Rng, syllables: usize) -> String {
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

struct Words {
    vocabulary: Vec<String>,
    names: Vec<String>,
}

fn words(rng: &mut Rng) -> Words {
    let vocabulary = (0..VOCABULARY)
        .map(|rank| {
            let word = made_up_word(rng, 2 + rank % 3);
            // Some accents and plurals, as in news text.
            match rank % 17 {
                0 => word.replacen('o', "ø", 1),
                1 => format!("{word}s"),
                _ => word,
            }
        })
        .collect();
    let names = (0..NAMES)
        .map(|_| {
            let syllables = 2 + rng.below(2);
            let mut name = made_up_word(rng, syllables);
            name[..1].make_ascii_uppercase();
            name
        })
        .collect();
    Words { vocabulary, names }
}

fn paragraph(rng: &mut Rng, words: &Words) -> String {
    let mut text = String::with_capacity(WORDS * 8);
    for position in 0..WORDS {
        if position > 0 {
            text.push(' ');
        }
        let roll = rng.below(100);
        if roll < 35 {
            text.push_str(STOP[rng.below(STOP.len())]);
        } else if roll < 43 {
            text.push_str(&words.names[rng.zipf(NAMES)]);
        } else if roll < 46 {
            text.push_str(&(1900 + rng.below(130)).to_string());
        } else if roll < 48 {
            // A word seen once or twice in the corpus: names, typos, codes.
            let syllables = 3 + rng.below(3);
            text.push_str(&made_up_word(rng, syllables));
        } else {
            text.push_str(&words.vocabulary[rng.zipf(VOCABULARY)]);
        }
    }
    text.push('.');
    text
}

fn sources(count: usize, rng: &mut Rng, words: &Words) -> Vec<Source> {
    let mut sources: Vec<Source> = (0..count)
        .map(|index| {
            let title = paragraph(rng, words)
                .split(' ')
                .take(6)
                .collect::<Vec<_>>()
                .join(" ");
            let mut text = format!("{title}\n\n");
            let mut paragraphs = Vec::with_capacity(PARAGRAPHS);
            for number in 1..=PARAGRAPHS {
                let start = text.len();
                text.push_str(&paragraph(rng, words));
                paragraphs.push(Paragraph {
                    number: number as u32,
                    range: start..text.len(),
                });
                text.push_str("\n\n");
            }
            // The loader reads each file into a string of its exact size.
            text.shrink_to_fit();
            let author = format!(
                "{} {}",
                words.names[rng.below(NAMES)],
                words.names[rng.zipf(NAMES)]
            );
            Source {
                key: String::new(),
                path: format!("sources/{index}.txt"),
                origin: Origin::Bundled(format!("sources/{index}.txt")),
                text,
                title,
                authors: vec![author],
                date: Some(Edtf::Year(1990 + rng.below(36) as i32)),
                publisher: None,
                categories: vec![],
                requested_key: None,
                byline: None,
                sections: vec![],
                paragraphs,
            }
        })
        .collect();
    keys::assign_keys(&mut sources);
    sources
}

/// Two words of a random paragraph; half of the time the second is still being typed.
fn search_query(rng: &mut Rng, sources: &[Source]) -> String {
    let source = &sources[rng.below(sources.len())];
    let paragraph = &source.paragraphs[rng.below(source.paragraphs.len())];
    let text = source.paragraph_text(paragraph).trim_end_matches('.');
    let content: Vec<&str> = text
        .split(' ')
        .filter(|word| !STOP.contains(word))
        .collect();
    let first = content[rng.below(content.len())];
    let second = content[rng.below(content.len())];
    if rng.below(2) == 0 {
        format!("{first} {second} ")
    } else {
        let cut = second
            .char_indices()
            .map(|(at, _)| at)
            .nth(3)
            .unwrap_or(second.len());
        format!("{first} {}", &second[..cut])
    }
}

/// What an analyst types after `@`: part of a key, a misspelt key, a last name or a year.
fn typed_key(rng: &mut Rng, sources: &[Source]) -> String {
    let source = &sources[rng.below(sources.len())];
    let key = &source.key;
    match rng.below(4) {
        0 => key[..1 + rng.below(key.len())].to_string(),
        1 => {
            let mut bytes = key.clone().into_bytes();
            let at = 1 + rng.below(bytes.len().saturating_sub(2).max(1));
            bytes.swap(at - 1, at);
            String::from_utf8(bytes).unwrap_or_default()
        }
        2 => source.authors[0]
            .split(' ')
            .next_back()
            .unwrap_or("")
            .chars()
            .take(4)
            .collect(),
        _ => source
            .date
            .as_ref()
            .map_or(String::new(), |d| d.to_string()),
    }
}

fn percentile(sorted: &[Duration], fraction: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[at].as_secs_f64() * 1e3
}

/// `VmHWM:` (peak) or `VmRSS:` (now) of this process, in MB.
fn memory_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn run(count: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ count as u64);
    let words = words(&mut rng);
    let sources = sources(count, &mut rng, &words);
    let text_bytes: usize = sources.iter().map(|source| source.text.len()).sum();
    let mb = text_bytes as f64 / 1e6;
    let before_build = memory_mb("VmRSS:");

    let started = Instant::now();
    let search = ParagraphSearch::build(&sources);
    let search_build = started.elapsed();
    let infos: Vec<SourceInfo> = sources.iter().cloned().map(SourceInfo::new).collect();
    let started = Instant::now();
    let finder = SourceFinder::build(&infos);
    let finder_build = started.elapsed();
    drop(infos);

    let queries: Vec<String> = (0..1000)
        .map(|_| search_query(&mut rng, &sources))
        .collect();
    let typed: Vec<String> = (0..1000).map(|_| typed_key(&mut rng, &sources)).collect();

    let mut checksum: u64 = 0;
    let mut search_times = Vec::with_capacity(queries.len());
    let mut typing_times = Vec::new();
    for query in &queries {
        let started = Instant::now();
        let hits = search.search(query, 20);
        let elapsed = started.elapsed();
        search_times.push(elapsed);
        if !query.ends_with(' ') {
            typing_times.push(elapsed);
        }
        for hit in hits {
            checksum = checksum
                .wrapping_mul(31)
                .wrapping_add(u64::from(hit.source) * 64 + u64::from(hit.paragraph));
        }
    }
    let mut find_times = Vec::with_capacity(typed.len());
    let mut incomplete = 0;
    for typed in &typed {
        let started = Instant::now();
        let (matches, more) = finder.find(typed, 50);
        find_times.push(started.elapsed());
        incomplete += usize::from(more);
        for found in matches {
            checksum = checksum
                .wrapping_mul(31)
                .wrapping_add(u64::from(found.source));
        }
    }
    search_times.sort();
    typing_times.sort();
    find_times.sort();

    println!(
        "sources {count}: {mb:.1} MB of text, {} paragraphs, {} terms",
        search.paragraph_count(),
        search.term_count()
    );
    println!(
        "  build: search {:.0} ms ({:.0} MB/s), finder {:.0} ms",
        search_build.as_secs_f64() * 1e3,
        mb / search_build.as_secs_f64(),
        finder_build.as_secs_f64() * 1e3,
    );
    println!(
        "  heap: search {:.1} MB, finder {:.1} MB; process: {before_build:.0} MB before the build (sources), peak {:.0} MB",
        search.heap_bytes() as f64 / 1e6,
        finder.heap_bytes() as f64 / 1e6,
        memory_mb("VmHWM:"),
    );
    println!(
        "  search (limit 20): p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        percentile(&search_times, 0.5),
        percentile(&search_times, 0.99),
        percentile(&search_times, 1.0),
    );
    println!(
        "    of which {} end in a word being typed: p50 {:.3} ms, p99 {:.3} ms",
        typing_times.len(),
        percentile(&typing_times, 0.5),
        percentile(&typing_times, 0.99),
    );
    println!(
        "  find (limit 50):   p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms, {incomplete} incomplete",
        percentile(&find_times, 0.5),
        percentile(&find_times, 0.99),
        percentile(&find_times, 1.0),
    );
    println!("  checksum {checksum:016x}");
}

fn main() {
    let counts: Vec<usize> = match std::env::var("DOSSIER_BENCH_SOURCES") {
        Ok(list) => list
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect(),
        Err(_) if std::env::var_os("DOSSIER_BENCH_100K").is_some() => vec![1_000, 10_000, 100_000],
        Err(_) => vec![1_000, 10_000],
    };
    for count in counts {
        run(count);
    }
}
