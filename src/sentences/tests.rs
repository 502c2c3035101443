//! Table tests for sentence splitting; the seed article is checked sentence by sentence.

use super::{
    ABBREVIATIONS, MayStop, NUMBER_ABBREVIATIONS, WORD_EDGE, is_abbreviation, sentences,
    sentences_through, skip_closers, starts_sentence, trim_end, trim_start,
};
use expect_test::expect;

/// Splits `text` whole and compares the sentences' text.
fn check(text: &str, expected: &[&str]) {
    let found: Vec<&str> = sentences(text, 0..text.len())
        .into_iter()
        .map(|range| &text[range])
        .collect();
    assert_eq!(found, expected, "splitting {text:?}");
}

#[test]
fn table() {
    let cases: &[(&str, &[&str])] = &[
        ("", &[]),
        ("   \n ", &[]),
        ("One sentence.", &["One sentence."]),
        ("No stop at all", &["No stop at all"]),
        ("One. Two.", &["One.", "Two."]),
        ("  One.   Two.  ", &["One.", "Two."]),
        ("Why? Because! Fine.", &["Why?", "Because!", "Fine."]),
        ("Really?! Yes.", &["Really?!", "Yes."]),
        ("Wait… Then it came.", &["Wait…", "Then it came."]),
        ("It went on… and on.", &["It went on… and on."]),
        ("It went on... and on.", &["It went on... and on."]),
        ("It ended... Then more.", &["It ended...", "Then more."]),
        (
            "A Risky Gambit . . . for Iran",
            &["A Risky Gambit . . . for Iran"],
        ),
        (
            "Rates rose 9.5 percent. Then fell.",
            &["Rates rose 9.5 percent.", "Then fell."],
        ),
        ("In 1991. 1992 was next.", &["In 1991.", "1992 was next."]),
        (
            "He said \"go.\" Then left.",
            &["He said \"go.\"", "Then left."],
        ),
        (
            "Russia's “near abroad.” Material",
            &["Russia's “near abroad.”", "Material"],
        ),
        (
            "(A whole aside.) Next one.",
            &["(A whole aside.)", "Next one."],
        ),
        ("One. \"Quoted start.\"", &["One.", "\"Quoted start.\""]),
        ("One. “Curly start.”", &["One.", "“Curly start.”"]),
        ("One. (Aside.)", &["One.", "(Aside.)"]),
        ("Ilan I. Berman wrote it.", &["Ilan I. Berman wrote it."]),
        ("J. R. R. Tolkien wrote.", &["J. R. R. Tolkien wrote."]),
        (
            "Mr. Putin went. Mrs. Smith stayed.",
            &["Mr. Putin went.", "Mrs. Smith stayed."],
        ),
        (
            "Dr. No and Gen. Lee. Fine.",
            &["Dr. No and Gen. Lee.", "Fine."],
        ),
        (
            "Sen. Rep. Gov. Lt. Col. Prof. Smith Jr. left.",
            &["Sen. Rep. Gov. Lt. Col. Prof. Smith Jr. left."],
        ),
        (
            "The U.S. Navy sailed. It arrived.",
            &["The U.S. Navy sailed.", "It arrived."],
        ),
        ("The U.K. and U.N. met.", &["The U.K. and U.N. met."]),
        ("Apples vs. Oranges.", &["Apples vs. Oranges."]),
        (
            "Fruit, e.g. Apples, i.e. Red ones.",
            &["Fruit, e.g. Apples, i.e. Red ones."],
        ),
        ("See cf. Berman.", &["See cf. Berman."]),
        (
            "On Jan. 5 and Sept. 9 and Dec. 1. Then.",
            &["On Jan. 5 and Sept. 9 and Dec. 1.", "Then."],
        ),
        (
            "Resolution No. 5 passed. No. That is wrong.",
            &["Resolution No. 5 passed.", "No.", "That is wrong."],
        ),
        (
            "See p. 4 and pp. 5-6. Next.",
            &["See p. 4 and pp. 5-6.", "Next."],
        ),
        (
            "See para. 4 and paras. 5–6. Next.",
            &["See para. 4 and paras. 5–6.", "Next."],
        ),
        (
            "Tea, coffee, etc. Are served.",
            &["Tea, coffee, etc. Are served."],
        ),
        (
            "It grew in 2022 [@berman2023, para. 1]. Then it fell.",
            &["It grew in 2022 [@berman2023, para. 1].", "Then it fell."],
        ),
        (
            "It grew in 2022. [@berman2023] Then it fell.",
            &["It grew in 2022. [@berman2023]", "Then it fell."],
        ),
        (
            "It grew in 2022.[@berman2023] Then it fell.",
            &["It grew in 2022.[@berman2023]", "Then it fell."],
        ),
        (
            "It grew. [@a] [@b, p. 3] Then it fell.",
            &["It grew. [@a] [@b, p. 3]", "Then it fell."],
        ),
        (
            "It grew in 2022. [@berman2023]",
            &["It grew in 2022. [@berman2023]"],
        ),
        ("It grew. [1] Then.", &["It grew.", "[1] Then."]),
        (
            "Version 1.2.3 shipped. Good.",
            &["Version 1.2.3 shipped.", "Good."],
        ),
        ("The U.S.-led bloc. Next.", &["The U.S.-led bloc.", "Next."]),
        ("lower. case next.", &["lower. case next."]),
        ("Line one.\nLine two.", &["Line one.", "Line two."]),
        ("This is **bold.** Next.", &["This is **bold.**", "Next."]),
        (
            "Émile left. Élodie stayed.",
            &["Émile left.", "Élodie stayed."],
        ),
        (
            "Ends with emoji 😀. Next.",
            &["Ends with emoji 😀.", "Next."],
        ),
        ("Москва. Тегеран.", &["Москва.", "Тегеран."]),
        (
            "Open [bracket. Never closed. Ok.",
            &["Open [bracket.", "Never closed.", "Ok."],
        ),
        ("See ¶ 4. Then.", &["See ¶ 4.", "Then."]),
        (
            "It happened at 5 p.m. Then.",
            &["It happened at 5 p.m. Then."],
        ),
    ];
    for (text, expected) in cases {
        check(text, expected);
    }
}

#[test]
fn ranges_are_within_the_given_range_and_trimmed() {
    let text = "Before. Inside one. Inside two. After.";
    let start = text.find("Inside").expect("fixture");
    let end = text.find(" After").expect("fixture");
    let found: Vec<&str> = sentences(text, start..end)
        .into_iter()
        .map(|r| &text[r])
        .collect();
    assert_eq!(found, ["Inside one.", "Inside two."]);
}

#[test]
fn out_of_range_and_mid_character_ranges_are_clamped() {
    let text = "Émile. Zoé.";
    assert_eq!(sentences(text, 1..100), vec![0..7, 8..13]);
    assert_eq!(
        sentences(text, 50..60),
        Vec::<std::ops::Range<usize>>::new()
    );
}

#[test]
fn seed_article_sentences() {
    let text = include_str!("../../seeds/000_66373d9ec02ed63b.txt");
    let mut rendered = String::new();
    let mut offset = 0;
    for block in text.split("\n\n") {
        let range = offset..offset + block.len();
        offset = range.end + 2;
        if block.trim().is_empty() {
            continue;
        }
        for sentence in sentences(text, range) {
            rendered.push_str(&text[sentence]);
            rendered.push('\n');
        }
        rendered.push_str("--\n");
    }
    expect![[r#"
        A New Page in the Russo–Iranian Partnership
        --
        February 15, 2023 Ilan I. Berman The Jerusalem Strategic Tribune
        --
        Related Categories: Arms Control and Proliferation; Economic Sanctions; International Economics and Trade; Public Diplomacy and Information Operations; Warfare; Iran; Russia
        --
        In July 2022, against the backdrop of the ongoing war in Ukraine, Russian President Vladimir Putin embarked on a notable foreign trip.
        Amid mounting international censure and growing hostility from the outside world, Putin traveled to Tehran to meet with Iranian officials and formally usher in a new phase in the long-running strategic partnership between the two countries.
        --
        Putin's trip to Tehran may have been the most high-profile visit by his government, but it was hardly the only one.
        In preceding weeks, a range of Russian officials had all trekked to the Islamic Republic in service of a singular goal: tightening the strategic bonds between Moscow and Tehran.
        --
        These diplomatic forays reflected a monumental geopolitical shift.
        Practically overnight, the traditional balance of power in the longrunning strategic partnership had been inverted.
        For decades, Russia served as a key enabler for the Islamic Republic, using its global status to soften the Iranian regime's international isolation and reduce the effectiveness of any Western sanctions levied against Tehran.
        But Russia's military offensive in Ukraine and the resulting Western pressure changed everything, transforming Russia into an international pariah—and Iran into a lifeline for Putin's government.
        --
        A Post-Soviet Entente
        --
        To understand just how much the balance of power between Russia and Iran has shifted, it is necessary to trace the origins of their relationship.
        The contemporary entente between the two countries dates back to the collapse of the Soviet Union in 1991.
        Bilateral diplomatic contacts had begun earlier, during the mid-to-late 1980s, but it was not until the Soviet collapse that ties between Moscow and Tehran can be said to have truly blossomed.
        --
        They did so for practical reasons.
        For Russia, alignment with Iran was a logical solution to a pressing problem.
        The breakup of the USSR had unleashed a wave of ethnic and religious separatism in Russia's soft underbelly of Central Asia and the Caucasus, and the Kremlin was eager to prevent Iran—which had made exporting its revolution a major foreign policy priority in the Middle East—from playing the same role in Russia's "near abroad."
        Material considerations were a factor as well; Russia's defense industry had barely managed to weather the Soviet collapse intact and was hungrily looking for new clients that could help it reestablish its Cold War-era prominence.
        --
        Iran, meanwhile, came to see the Russian Federation as a savior, in more ways than one.
        Fresh off a grinding eight-year war with neighboring Iraq, the Islamic Republic was in dire need of arms to reconstitute the might of its decimated military.
        Tehran also saw a natural role for itself in the so-called "Primakov Doctrine," the strategic concept promulgated by Russian Foreign Minister (and former KGB head) Yevgeny Primakov in the 1990s to create a hedge against US hegemony and the American-led alliance structure in the Middle East.
        --
        The resulting meeting of the minds saw the Islamic Republic become a major recipient of Russian arms in exchange for its commitment to eschew meddling in the former Soviet Union.
        Quickly, however, the arrangement blossomed into something more—a long-term union aimed at diluting the power and dominance of the US (and thereby its allies, like Israel) in global affairs.
        That partnership has now endured for more than three decades, and its bonds have proven extremely durable, despite the best efforts of the US and other Western powers to break them.
        --
        Misreading Russian Policy
        --
        For nearly as long as the Russo–Iranian partnership has existed, Western governments have held out hope that it might be possible to somehow "flip" Moscow and get the Kremlin to bring Iran's ayatollahs to heel.
        Such hopes were particularly prevalent during Russia's so-called "pragmatic phase," roughly coinciding with the presidency of Dmitry Medvedev (2008–2012).
        In turn, they were nurtured by periodic Russian expressions of concern about the extent of Iran's nuclear ambitions and lack of transparency.
        --
        Thereafter, the return of Putin to the country's top post (a position which he, in truth, had never abandoned) muted calls for a Russian about-face on Iran, at least somewhat.
        Nevertheless, hopes that Moscow might be induced to use its considerable leverage to make the Islamic Republic behave better have remained a fixture of American foreign policy.
        They were part and parcel of the Obama administration's efforts to "reset" US relations with the Kremlin, as well as its subsequent nuclear diplomacy with Iran, which accorded Moscow with a prominent role in a diplomatic process that culminated in the 2015 Joint Comprehensive Plan of Action (JCPOA).
        More recently, the Biden administration's efforts to revive the JCPOA, the centerpiece of its Middle East policy during the administration's first year in office, relied heavily on the Kremlin to serve as an interlocutor and go-between in "proximity talks" between the parties.
        Absurdly, the White House continued to expect Moscow to faithfully play this role even after the outbreak of the Ukraine war in February 2022, and despite the resulting imposition of increasingly onerous sanctions on the Russian Federation.
        --
        All of this, however, represented a fundamental misreading of Russian strategy.
        Quite simply, Moscow has prioritized its partnership with Iran's clerical regime above and beyond any potential benefits that might accrue from collaboration with the West.
        This is so for both ideological and practical reasons.
        Ideologically, the Islamic Republic has long been seen by the country's neo-imperialist thinkers as a natural ally and integral part of the "Eurasian axis" that Moscow needs to erect on its road back to global greatness.
        In practical terms, meanwhile, Kremlin officials long ago grasped that an America preoccupied with the vexing problem of containing Iran's runaway nuclear ambitions would be less likely to respond meaningfully to Moscow's efforts to reassert control over its near abroad.
        --
        These reasons, and others, have helped preserve the vibrancy of the Moscow–Tehran alliance despite Western pressure.
        And now that the war in Ukraine has fundamentally altered Russia's geopolitical position, the prospects of such a decoupling are more remote than ever.
        --
        The Equation, Inverted
        --
        When Russia launched its "special military operation" against Ukraine, the campaign to "demilitarize" and "de-Nazify" Kyiv was supposed to be both short and decisive.
        It has not turned out that way, however.
        Stunning battlefield stumbles by the Russian military, a robust Ukrainian response, extensive Western sanctions, and a mass NATO mobilization have all helped turn Putin's war of choice into a protracted and costly conflict.
        --
        These difficulties have led Moscow to turn to a dwindling list of international partners for assistance.
        And while some—like Kazakhstan and China—have opted to keep Moscow at arm's length, Iran has not.
        Instead, in recent months, the Islamic Republic has taken on an increasingly prominent role in Russia's war, emerging as a significant source of weaponry and war materiel for the Kremlin.
        Tehran's assistance has included, among other things, battlefield equipment for frontline Russian soldiers, scores of "kamikaze" drones subsequently used against Ukrainian population centers, and the deployment of military trainers to instruct Russian servicemen in drone warfare.
        --
        The collaboration has not stopped there.
        The two countries have begun integrating their banking systems and financial transactions mechanisms in a shared effort to build resilience to Western sanctions.
        The Iranian regime is said to be expanding its supply of weapons to the Russian military.
        The two sides are also now advancing plans to build a drone facility in Russia to begin line production of Iranian-designed drones that could augment Russian capabilities, as well as overseeing massive expansion of economic collaboration, from joint automotive production to new energy development arrangements.
        --
        All of this cooperation shares a notable commonality: a diminished role for Russia.
        Once a major political lifeline for Iran's clerical regime, the Kremlin has now become increasingly dependent on Tehran's assistance for the fulfillment of its military and even economic aims.
        --
        A Risky Gambit . . . for Iran
        --
        Years from now, when the definitive history of the fall of the Islamic Republic is eventually written, the regime's decision to become a participant in Russia's invasion of Ukraine will likely occupy a prominent place in the narrative.
        By coming to the aid of Putin's government, Tehran has inserted itself into what is arguably the most consequential global conflict of the past 80 years, with massive adverse consequences for its own standing.
        --
        The consequences are now visible in Europe, where attitudes toward Tehran are hardening appreciably as a result of Iran's growing role in the Ukraine conflict.
        Historically, Europe has styled itself as a more reasonable counterpoint to the US, assuming a laissez faire attitude toward Iran in general, and prioritizing "business as usual" with Tehran over any lasting censure of the regime for its nuclear drive, domestic repression, or other deformities.
        But numerous conversations with European officials in recent months make clear that a significant shift has now taken place on the continent, driven by the recognition that the Iranian regime has thrown its weight squarely behind Russia's war against the West.
        --
        Iran's involvement has likewise begun to draw other actors into the conflict, such as Israel.
        For much of the past year, the Israeli government's comparatively muted support of Ukraine in its struggle against Russia has been the source of significant speculation—and criticism.
        Jerusalem's reluctance to offer lethal assistance to Kyiv has been informed by a number of considerations, from Russia's ongoing role as a guarantor of security along Israel's northern front to the country's own Russian-speaking diaspora, which represents more than a tenth of Israel's population of nearly nine-and-a-half million.
        But Iran's entry into the Ukraine war has spurred a strategic rethink in Jerusalem, which has begun taking direct action against Iranian drones destined for Russia and contemplating the provision of advanced weapons systems to Kyiv, including the Iron Dome missile defense system.
        --
        Yet, despite these adverse consequences, the Russian–Iranian alliance is likely to continue.
        For the moment, the Kremlin shows no sign of abandoning its military misadventure in Ukraine.
        That campaign, in turn, will continue to leech blood and treasure from the Russian Federation and make it dependent on the largesse of its few remaining international partners.
        As a result, Moscow will inevitably continue to seek to draw Tehran closer.
        --
        Iran, for its part, seems content with this arrangement, at least for the moment.
        Against the backdrop of persistent domestic protests and widespread dissatisfaction with its more-than-four decades of misrule, the Iranian regime is eager for the added stability that closer ties to the Kremlin have the potential to provide.
        Over the longer term, however, Iran's ayatollahs are liable to find that the political and strategic costs of this alignment are steep indeed.
        --
        © 2025 - American Foreign Policy Council
        --
    "#]].assert_eq(&rendered);
}

proptest::proptest! {
    /// Cut at any byte, the sentences are a prefix of all of them, and every sentence that
    /// could hold a span ending by the cut is in it.
    #[test]
    fn sentences_through_a_byte_are_those_that_reach_it(
        text in "([A-Za-z]{1,5}|\\. |! |\\? |… | |, |\\[@a\\] |Dr\\. |9\\.5|\\n){0,30}",
        until in 0usize..200,
    ) {
        let all = sentences(&text, 0..text.len());
        let through = sentences_through(&text, 0..text.len(), until);
        proptest::prop_assert!(all.starts_with(&through));
        for sentence in &all[through.len()..] {
            proptest::prop_assert!(sentence.start >= until.min(text.len()));
        }
    }
}

proptest::proptest! {
    /// `MayStop`, asked for increasing offsets as the splitter asks, finds the bytes that a
    /// byte-by-byte search finds.
    #[test]
    fn may_stop_finds_the_next_byte_the_splitter_stops_at(
        text in "([a-z]{1,5}|[.!?\\[\\] ]|…|’|—|é|Ħ|¦){0,40}",
        steps in proptest::collection::vec(1usize..6, 0..40),
    ) {
        let bytes = text.as_bytes();
        let end = bytes.len();
        // The splitter stops at a `…` and at no other character past ASCII (`Ħ` and `¦`
        // end in the byte `…` ends in).
        let stops_at = |at: usize| {
            matches!(bytes[at], b'.' | b'!' | b'?' | b'[') || bytes[at..].starts_with("…".as_bytes())
        };
        let mut may_stop = MayStop::new(bytes, 0, end);
        let mut from = 0;
        for step in steps {
            let expected = (from..end).find(|&at| stops_at(at)).unwrap_or(end);
            proptest::prop_assert_eq!(may_stop.next(from), expected, "from {} in {:?}", from, text);
            from += step;
        }
    }
}

/// `is_abbreviation` as it was before it looked words up by key: the lists, in turn.
fn listed_abbreviation(text: &str, stop: usize, next: usize) -> bool {
    let bytes = text.as_bytes();
    let mut word_start = stop;
    while word_start > 0 {
        let before = bytes[word_start - 1];
        if before.is_ascii_whitespace() || matches!(before, b'(' | b'[' | b'"' | b'\'' | b'/') {
            break;
        }
        word_start -= 1;
    }
    let Some(word) = text.get(word_start..stop) else {
        return false;
    };
    let word = word.trim_start_matches(['“', '‘', '«', '*', '_']);
    if word.is_empty() {
        return false;
    }
    let mut chars = word.chars();
    if let (Some(only), None) = (chars.next(), chars.next()) {
        return only.is_alphabetic();
    }
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    NUMBER_ABBREVIATIONS.contains(&word) && bytes.get(next).is_some_and(u8::is_ascii_digit)
}

proptest::proptest! {
    /// Abbreviations found by key are the ones the lists hold, before a number or not.
    #[test]
    fn abbreviations_are_the_listed_ones(
        word in "(Mr|Mrs|Dr|St|Gen|U\\.S|e\\.g|Ph\\.D|¶|p|pp|approx|Messrs|No|Nos|Art|art|Jan|Sept|[A-Za-z.¶é\\x00]{0,9})",
        before in "( |\\(|“|\\*|)",
        after in "( 5| Then|5|)",
    ) {
        let text = format!("x {before}{word}.{after}");
        let stop = 2 + before.len() + word.len();
        let next = stop + 1 + usize::from(after.starts_with(' '));
        proptest::prop_assert_eq!(
            is_abbreviation(&text, 0, stop, next),
            listed_abbreviation(&text, stop, next),
            "{:?}", text
        );
    }
}

#[test]
fn word_edges_are_white_space_and_openers() {
    for byte in 0..=255u8 {
        let edge = byte.is_ascii_whitespace() || matches!(byte, b'(' | b'[' | b'"' | b'\'' | b'/');
        assert_eq!(WORD_EDGE[usize::from(byte)], edge, "{byte:#x}");
    }
}

#[test]
fn every_listed_abbreviation_is_found() {
    // One character is an initial when it is a letter, whatever the lists say (`¶` is none).
    for word in ABBREVIATIONS.iter().filter(|word| word.chars().count() > 1) {
        let text = format!("{word}. Then");
        assert!(
            is_abbreviation(&text, 0, word.len(), word.len() + 2),
            "{word}"
        );
    }
    for word in NUMBER_ABBREVIATIONS {
        let text = format!("{word}. 5");
        assert!(
            is_abbreviation(&text, 0, word.len(), word.len() + 2),
            "{word}"
        );
        let text = format!("{word}. Then");
        assert!(
            !is_abbreviation(&text, 0, word.len(), word.len() + 2),
            "{word}"
        );
    }
}

proptest::proptest! {
    /// The byte-at-a-time trims answer as `str`'s, for any mix of ASCII and Unicode white
    /// space and other characters.
    #[test]
    fn trims_are_the_str_trims(text in "[ \t\n\r\u{b}\u{c}\u{1c}\u{85}\u{a0}\u{2003}\u{3000}aé.北]{0,12}") {
        proptest::prop_assert_eq!(trim_start(&text), text.trim_start());
        proptest::prop_assert_eq!(trim_end(&text), text.trim_end());
    }
}

/// `skip_closers` as it was: a character decoded at each step.
fn decoded_skip_closers(text: &str, mut at: usize, end: usize) -> usize {
    while at < end {
        match text[at..end].chars().next() {
            Some(c @ ('"' | '\'' | '”' | '’' | ')' | ']' | '»' | '*' | '_' | '`')) => {
                at += c.len_utf8()
            }
            _ => break,
        }
    }
    at
}

/// `starts_sentence` as it was: the character decoded.
fn decoded_starts_sentence(text: &str, at: usize) -> bool {
    match text[at..].chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_numeric()
                || matches!(
                    c,
                    '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '*' | '_' | '`' | '¶' | '§'
                )
        }
        None => true,
    }
}

proptest::proptest! {
    /// ASCII told byte by byte, the rest decoded: the same answers as decoding each.
    #[test]
    fn closers_and_sentence_starts_are_told_as_decoded(
        text in "[\"')\\]*_`”’»“‘«(\\[¶§aZ9 .é\u{2160}]{0,8}",
    ) {
        for at in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            proptest::prop_assert_eq!(
                skip_closers(&text, at, text.len()),
                decoded_skip_closers(&text, at, text.len())
            );
            proptest::prop_assert_eq!(
                starts_sentence(&text, at),
                decoded_starts_sentence(&text, at)
            );
        }
    }
}
