//! Parse and check the whole Python weekly archive held in memory (zh, en, ja issues, historic
//! teasers and season files). Run: `cargo bench -p weekly-check --bench corpus`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use weekly_model::{Catalogue, IsoDate, Lang, TitleParts};
use weekly_parse::{ParseOptions, parse_document};

struct File {
    name: String,
    lang: Lang,
    text: String,
    season: bool,
}

fn load() -> Option<Vec<File>> {
    let root = std::env::var_os("WEEKLY_CORPUS").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/python-weekly"),
        PathBuf::from,
    );
    if !root.join("docs").is_dir() {
        eprintln!("skipped: corpus not found at {}", root.display());
        return None;
    }
    let mut files = Vec::new();
    for (sub, lang) in [
        ("docs", "zh"),
        ("docs/en", "en"),
        ("docs/ja", "ja"),
        ("history/teasers", "zh"),
    ] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(sub))
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.retain(|p| p.extension().is_some_and(|e| e == "md"));
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            files.push(File {
                season: !name.ends_with("-weekly.md"),
                text: std::fs::read_to_string(&path).ok()?,
                lang: Lang::new(lang)?,
                name,
            });
        }
    }
    Some(files)
}

fn parse_and_check(files: &[File], catalogue: &Catalogue, languages: &[Lang]) -> usize {
    let parsed: Vec<_> = files
        .iter()
        .map(|f| {
            parse_document(
                &f.text,
                &ParseOptions {
                    file: &f.name,
                    lang: &f.lang,
                    catalogue,
                },
            )
        })
        .collect();
    let editions: Vec<weekly_check::Edition<'_>> = files
        .iter()
        .zip(&parsed)
        .map(|(f, p)| weekly_check::Edition {
            number: p
                .document
                .title()
                .and_then(|t| TitleParts::parse(t).number)
                .unwrap_or(0),
            date: IsoDate::find_in(&f.name),
            file: &f.name,
            text: &f.text,
            document: &p.document,
            season: f.season,
        })
        .collect();
    let settings = weekly_check::Settings {
        catalogue,
        languages,
    };
    weekly_check::check(&editions, &settings).len()
        + parsed.iter().map(|p| p.diagnostics.len()).sum::<usize>()
}

fn bench(c: &mut Criterion) {
    let Some(files) = load() else { return };
    let bytes: usize = files.iter().map(|f| f.text.len()).sum();
    eprintln!("corpus: {} files, {} KB", files.len(), bytes / 1000);
    let catalogue = Catalogue::python_weekly();
    let languages = [Lang::zh(), Lang::en(), Lang::new("ja").unwrap()];
    let mut group = c.benchmark_group("corpus");
    group.sample_size(20);
    group.throughput(criterion::Throughput::Bytes(bytes as u64));
    group.bench_function("parse", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    parse_document(
                        &f.text,
                        &ParseOptions {
                            file: &f.name,
                            lang: &f.lang,
                            catalogue: &catalogue,
                        },
                    )
                    .document
                    .sections
                    .len()
                })
                .sum::<usize>()
        });
    });
    group.bench_function("parse_and_check", |b| {
        b.iter(|| parse_and_check(&files, &catalogue, &languages));
    });
    group.bench_function("parse_and_render_markdown", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|f| {
                    let p = parse_document(
                        &f.text,
                        &ParseOptions {
                            file: &f.name,
                            lang: &f.lang,
                            catalogue: &catalogue,
                        },
                    );
                    weekly_render::markdown::render(&p.document).len()
                })
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
