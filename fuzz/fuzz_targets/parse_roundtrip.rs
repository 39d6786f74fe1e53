//! Fuzz target: the parser never panics on any input, and writing the parsed document back
//! gives exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use weekly_model::{Catalogue, Lang};
use weekly_parse::{ParseOptions, parse_document};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let catalogue = Catalogue::python_weekly();
    for lang in [Lang::zh(), Lang::en()] {
        let options = ParseOptions { file: "fuzz.md", lang: &lang, catalogue: &catalogue };
        let parsed = parse_document(&text, &options);
        let written = weekly_render::markdown::render(&parsed.document);
        assert_eq!(written, text, "round-trip differs");
        let _ = weekly_parse::description::find(&parsed.document);
        for (_, entry) in parsed.document.entries() {
            let _ = (entry.plain_title(), entry.stars(), entry.attachments(), entry.bilingual_titles());
        }
    }
});
