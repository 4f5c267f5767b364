//! `akademia bench …`: measurements the closing notes quote, run against the configured database.
//! `bench import` times a participant import of a generated file (rows/s, peak memory).

use std::time::Instant;

use crate::db::audit::Actor;
use crate::db::users::User;
use crate::db::{Db, gminy};
use crate::domain::Role;
use crate::error::AppResult;
use crate::service::import;
use crate::service::programmes::{self, CohortInput, ProgrammeInput};

const FIRST: [&str; 12] = [
    "Anna",
    "Małgorzata",
    "Łucja",
    "Żaneta",
    "Grzegorz",
    "Paweł",
    "Zdzisław",
    "Bożena",
    "Jędrzej",
    "Ewa",
    "Michał",
    "Ścibor",
];
const LAST: [&str; 12] = [
    "Nowak",
    "Wiśniewska",
    "Żółkiewska-Łęcka",
    "Kowalczyk",
    "Dąbrowski",
    "Ślęzak",
    "Pająk",
    "Brzęczyszczykiewicz",
    "Łuczak",
    "Ćwiek",
    "Kaźmierczak",
    "Grześkowiak",
];

/// A participant CSV with `rows` people spread over every gmina, as Excel would save it.
pub fn participants_csv(rows: usize, gminas: &[String], tag: &str) -> String {
    let mut csv = String::with_capacity(rows * 110);
    csv.push_str("imię;nazwisko;email;telefon;gmina;grupa;organizacja;płeć;rok_urodzenia\r\n");
    let groups = ["urzędnik", "ngo", "onw"];
    for i in 0..rows {
        let gmina = &gminas[(i / 3) % gminas.len()];
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
        let organisation = match i % 3 {
            0 => format!("Urząd Gminy {gmina}"),
            1 => format!("Stowarzyszenie nr {}", i % 500),
            _ => String::new(),
        };
        csv.push_str(&format!(
            "{first};{last};osoba{i}.{tag}@example.pl;+48 600 {:03} {:03};{gmina};{};{organisation};{};{}\r\n",
            i % 1000,
            (i / 1000) % 1000,
            groups[i % 3],
            if i % 2 == 0 { "K" } else { "M" },
            1940 + (i % 60)
        ));
    }
    csv
}

/// Peak and current resident memory of this process in MiB (Linux), if known.
pub fn memory_mib() -> (Option<f64>, Option<f64>) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let read = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| kb / 1024.0)
    };
    (read("VmHWM:"), read("VmRSS:"))
}

async fn bench_user(db: &Db) -> AppResult<User> {
    if let Some(user) = crate::db::users::find_by_email(db, "bench@akademia.invalid").await? {
        return Ok(user);
    }
    let input = crate::service::users::NewUserInput {
        email: "bench@akademia.invalid".into(),
        name: "Benchmark".into(),
        role: Role::Admin.as_str().into(),
        password: crate::domain::token::random_string(24),
        password_confirm: None,
    };
    crate::service::users::create(db, &Actor::system(), &input).await
}

/// A fresh cohort of programme `bench` (made on first use), its slug, and every gmina's code.
async fn bench_cohort(
    db: &Db,
    user: &User,
) -> AppResult<(crate::db::programmes::Cohort, String, Vec<String>)> {
    if programmes::find_programme(db, "bench").await?.is_none() {
        let input = ProgrammeInput {
            name: "Benchmark".into(),
            slug: "bench".into(),
            funder: "—".into(),
            starts_on: "2026-01-01".into(),
            ends_on: "2030-12-31".into(),
            ..Default::default()
        };
        programmes::create(db, user, &input).await?;
    }
    let slug = format!("bench-{}", crate::db::Id::new().0.simple());
    let cohort = programmes::create_cohort(
        db,
        user,
        &CohortInput {
            programme: "bench".into(),
            name: slug.clone(),
            slug: slug[..30].to_owned(),
            starts_on: "2026-01-01".into(),
            ends_on: "2030-12-31".into(),
            archived: false,
            marking_days: String::new(),
        },
    )
    .await?;
    let gminas: Vec<String> = gminy::all_active(db)
        .await?
        .into_iter()
        .map(|g| g.teryt)
        .collect();
    Ok((cohort, slug, gminas))
}

/// Imports a generated file of `rows` participants into a fresh cohort of programme `bench`.
pub async fn import(db: &Db, rows: usize) -> AppResult<String> {
    let user = bench_user(db).await?;
    let (cohort, slug, gminas) = bench_cohort(db, &user).await?;
    let csv = participants_csv(rows, &gminas, &slug[slug.len() - 8..]);
    let (_, rss_before) = memory_mib();
    let started = Instant::now();
    let outcome = import::import(db, &Actor::user(&user), &cohort, csv.as_bytes(), false).await?;
    let total = started.elapsed();
    let (peak, rss_after) = memory_mib();
    let rate = outcome.imported as f64 / total.as_secs_f64();
    Ok(format!(
        "import of {rows} rows ({:.1} MiB file) into {} on {}: {} imported in {:.2} s = {:.0} rows/s; \
         process memory: peak {:.0} MiB, {:.0} MiB before, {:.0} MiB after",
        csv.len() as f64 / 1_048_576.0,
        cohort.slug,
        db.backend().as_str(),
        outcome.imported,
        total.as_secs_f64(),
        rate,
        peak.unwrap_or(f64::NAN),
        rss_before.unwrap_or(f64::NAN),
        rss_after.unwrap_or(f64::NAN),
    ))
}

/// Renders the attendance list of `rows` people `runs` times (after a warm-up that parses the
/// fonts): the first render, the median and the slowest of the timed ones, and the PDF's size.
pub fn attendance_list(rows: usize, runs: usize) -> anyhow::Result<String> {
    use crate::output::pdf::{AttendanceSheet, SheetRow, attendance_list};

    let gminas = [
        "Śrem",
        "Żółkiewka",
        "Leszno",
        "Rydzyna",
        "Święciechowa",
        "Gostyń",
    ];
    let groups = [
        "urzędnik / pracownik JST",
        "osoba z NGO",
        "osoba narażona na wykluczenie (ONW)",
    ];
    let sheet = AttendanceSheet {
        programme: "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji".into(),
        acknowledgement: "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz Regionalny, \
                          finansowanego przez Islandię, Liechtenstein i Norwegię ze środków Funduszy EOG."
            .into(),
        cohort: "WARNiK 2021–2022".into(),
        title: "Wizyta studyjna: Centrum Aktywności Lokalnej w Lesznie".into(),
        kind: "Wizyta studyjna".into(),
        date: "niedziela, 31 października 2027, 10:00–15:00".into(),
        hours: "6,67 godz. dyd. (po 45 min)".into(),
        place: "Centrum Aktywności Lokalnej, Leszno, ul. Słowiańska 1".into(),
        trainers: "Anna Rzecznicka, Tomasz Trenerski".into(),
        rows: (0..rows)
            .map(|i| SheetRow {
                name: format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / FIRST.len() + i) % LAST.len()]),
                gmina: gminas[i % gminas.len()].into(),
                group: groups[i % groups.len()].into(),
            })
            .collect(),
    };
    let started = Instant::now();
    let first = attendance_list(&sheet)?;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let pdf = attendance_list(&sheet)?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(pdf);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    let slowest = times[times.len() - 1];
    let (peak, _) = memory_mib();
    Ok(format!(
        "attendance list of {rows} people: {:.1} KiB; first render {first_ms:.1} ms (fonts parsed), \
         then median {median:.1} ms, slowest {slowest:.1} ms over {} runs; process peak {:.0} MiB",
        first.len() as f64 / 1024.0,
        times.len(),
        peak.unwrap_or(f64::NAN)
    ))
}

/// Saves the attendance of an activity with `people` on its roster `runs` times, every person's
/// mark changing each time (the heaviest save): the server time per save, median and p99.
pub async fn attendance(db: &Db, people: usize, runs: usize) -> AppResult<String> {
    use crate::domain::attendance::Mark;
    use crate::service::activities::{self, ActivityInput, Saved};
    use crate::service::attendance::{self as service, MarkInput};

    let user = bench_user(db).await?;
    let (cohort, slug, gminas) = bench_cohort(db, &user).await?;
    let csv = participants_csv(people, &gminas, &slug[slug.len() - 8..]);
    import::import(db, &Actor::user(&user), &cohort, csv.as_bytes(), false).await?;
    let now = chrono::Utc::now();
    let input = ActivityInput {
        kind: "training".into(),
        title: "Benchmark".into(),
        starts_at: (now - chrono::Duration::minutes(30)).to_rfc3339(),
        ends_at: (now + chrono::Duration::hours(2)).to_rfc3339(),
        location: "—".into(),
        allow_conflicts: true,
        ..Default::default()
    };
    let Saved::Done(view) = activities::create(db, &user, &cohort.slug, &input).await? else {
        return Err(crate::error::AppError::Unexpected(anyhow::anyhow!(
            "no activity"
        )));
    };
    let id = view.activity.id;
    let mut times = Vec::with_capacity(runs);
    for run in 0..runs.max(1) {
        let mark = if run % 2 == 0 {
            Mark::Present
        } else {
            Mark::Absent
        };
        let marks: Vec<MarkInput> = view
            .roster
            .iter()
            .map(|e| MarkInput {
                enrolment: *e,
                status: mark,
            })
            .collect();
        let started = Instant::now();
        let changed = service::mark(db, &user, id, &marks, None).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        debug_assert_eq!(changed, view.roster.len());
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Ok(format!(
        "saving the attendance of {} people on {} ({} saves, every mark changing): \
         median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        view.roster.len(),
        db.backend().as_str(),
        times.len(),
        at(0.5),
        at(0.99),
        times[times.len() - 1]
    ))
}

/// Issues certificates to `people` eligible participants at once, then renders every PDF and
/// the cohort's ZIP: seconds, PDFs per second, median size.
pub async fn certificates(db: &Db, people: usize) -> AppResult<String> {
    use crate::domain::attendance::Mark;
    use crate::service::activities::{self, ActivityInput, Saved};
    use crate::service::attendance::{self as marking, MarkInput};
    use crate::service::certificates::{self as service, Issuer};

    let user = bench_user(db).await?;
    let (cohort, slug, gminas) = bench_cohort(db, &user).await?;
    let csv = participants_csv(people, &gminas, &slug[slug.len() - 8..]);
    import::import(db, &Actor::user(&user), &cohort, csv.as_bytes(), false).await?;
    let now = chrono::Utc::now();
    let input = ActivityInput {
        kind: "training".into(),
        title: "Benchmark".into(),
        module: "Zlecanie zadań publicznych".into(),
        starts_at: (now - chrono::Duration::minutes(200)).to_rfc3339(),
        ends_at: (now - chrono::Duration::minutes(20)).to_rfc3339(),
        location: "Leszno".into(),
        allow_conflicts: true,
        ..Default::default()
    };
    let Saved::Done(view) = activities::create(db, &user, &cohort.slug, &input).await? else {
        return Err(crate::error::AppError::Unexpected(anyhow::anyhow!(
            "no activity"
        )));
    };
    let marks: Vec<MarkInput> = view
        .roster
        .iter()
        .map(|e| MarkInput {
            enrolment: *e,
            status: Mark::Present,
        })
        .collect();
    marking::mark(db, &user, view.activity.id, &marks, None).await?;

    let by = Issuer {
        actor: Actor::user(&user),
        user: Some(user.id),
        day: None,
    };
    let started = Instant::now();
    let issued = service::issue_in(db, cohort.clone(), &by, None, crate::i18n::Lang::Pl).await?;
    let issuing = started.elapsed().as_secs_f64();
    let base = "https://akademia.example.org";
    let started = Instant::now();
    let mut sizes = Vec::with_capacity(issued.len());
    for cert in &issued {
        sizes.push(service::render(cert, base)?.len());
    }
    let rendering = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let (_, zip) = service::zip_in(db, cohort, base).await?;
    let zipping = started.elapsed().as_secs_f64();
    sizes.sort_unstable();
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(0) as f64 / 1024.0;
    let largest = sizes.last().copied().unwrap_or(0) as f64 / 1024.0;
    let total = issuing + rendering;
    let (peak, _) = memory_mib();
    Ok(format!(
        "{} certificates on {}: issued in {issuing:.2} s (one transaction), rendered in {rendering:.2} s; \
         issuing + rendering {total:.2} s = {:.0} PDFs/s; median {median:.1} KB, largest {largest:.1} KB; \
         ZIP of all (re-rendered) {zipping:.2} s, {:.1} MB; peak RSS {}",
        issued.len(),
        db.backend().as_str(),
        issued.len() as f64 / total.max(1e-9),
        zip.len() as f64 / 1024.0 / 1024.0,
        peak.map(|p| format!("{p:.0} MiB"))
            .unwrap_or_else(|| "n/a".into()),
    ))
}

/// The programme `synth`, generated at the national scale first if it is missing (with a line
/// saying how long that took).
async fn synth_programme(db: &Db) -> AppResult<(crate::db::programmes::Programme, String)> {
    if let Some(programme) = programmes::find_programme(db, "synth").await? {
        return Ok((programme, String::new()));
    }
    let summary = crate::synth::generate(db, crate::synth::Scale::NATIONAL).await?;
    let programme = programmes::find_programme(db, "synth")
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
    Ok((programme, format!("{summary}\n")))
}

/// Median, fastest and slowest of `times` (ms), sorted in place.
fn spread(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

/// Times `runs` JSON reports (staff-facing, serialised as the API does) of one cohort of `synth`
/// and of the whole programme: median, fastest and slowest, sizes and peak memory.
pub async fn report(db: &Db, runs: usize) -> AppResult<String> {
    use crate::service::reports::{Facing, cohort_of, programme_of};

    let (programme, generated) = synth_programme(db).await?;
    let mut cohorts = crate::db::programmes::cohorts_of(db, programme.id).await?;
    cohorts.sort_by(|a, b| a.slug.cmp(&b.slug));
    // All synth cohorts are alike; the middle one stands for them.
    let Some(cohort) = cohorts.get(cohorts.len() / 2).cloned() else {
        return Err(crate::error::AppError::NotFound);
    };
    let runs = runs.max(1);
    // The first report opens the pool's connections (one per query run together): timed apart,
    // since a running server has them open already.
    let started = Instant::now();
    cohort_of(db, &cohort, Facing::Staff).await?;
    let first_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (mut cohort_ms, mut programme_ms) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    let (mut cohort_size, mut programme_size) = (0, 0);
    for _ in 0..runs {
        let started = Instant::now();
        let report = cohort_of(db, &cohort, Facing::Staff).await?;
        let json = serde_json::to_vec(&report).map_err(anyhow::Error::from)?;
        cohort_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        cohort_size = json.len();
    }
    for _ in 0..runs {
        let started = Instant::now();
        let report = programme_of(db, &programme, Facing::Staff).await?;
        let json = serde_json::to_vec(&report).map_err(anyhow::Error::from)?;
        programme_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        programme_size = json.len();
    }
    let (c_median, c_min, c_max) = spread(&mut cohort_ms);
    let (p_median, p_min, p_max) = spread(&mut programme_ms);
    let (peak, rss) = memory_mib();
    Ok(format!(
        "{generated}JSON results reports of synth on {} ({runs} runs each, staff-facing; the very first, \
         which opens the database connections, took {first_ms:.1} ms):\n  \
         cohort {}: median {c_median:.1} ms, min {c_min:.1} ms, max {c_max:.1} ms, {:.1} KB\n  \
         programme ({} cohorts): median {:.3} s, min {:.3} s, max {:.3} s, {:.1} KB\n  \
         process memory: peak {:.0} MiB, now {:.0} MiB",
        db.backend().as_str(),
        cohort.slug,
        cohort_size as f64 / 1024.0,
        cohorts.len(),
        p_median / 1000.0,
        p_min / 1000.0,
        p_max / 1000.0,
        programme_size as f64 / 1024.0,
        peak.unwrap_or(f64::NAN),
        rss.unwrap_or(f64::NAN),
    ))
}

/// Streams the attendance CSV of `synth` (every mark, one row each) into a sink: rows, MB,
/// seconds, rows/s, and the process's peak memory before and after, to show it stays flat.
pub async fn attendance_export(db: &Db) -> AppResult<String> {
    use crate::service::attendance_export::write_csv;

    let (programme, generated) = synth_programme(db).await?;
    // Forget the peak of whatever came before (generating synth): Linux resets VmHWM on "5".
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let (peak_before, rss_before) = memory_mib();
    let started = Instant::now();
    let mut sink = rocket::tokio::io::sink();
    let written = write_csv(db, &programme, crate::i18n::Lang::Pl, &mut sink).await?;
    let seconds = started.elapsed().as_secs_f64();
    let (peak_after, rss_after) = memory_mib();
    Ok(format!(
        "{generated}attendance CSV of synth on {}: {} rows, {:.1} MB in {seconds:.2} s = {:.0} rows/s; \
         process memory: peak {:.0} MiB before{}, {:.0} MiB after (resident {:.0} → {:.0} MiB)",
        db.backend().as_str(),
        written.rows,
        written.bytes as f64 / 1_000_000.0,
        written.rows as f64 / seconds.max(1e-9),
        peak_before.unwrap_or(f64::NAN),
        if reset { " (reset)" } else { "" },
        peak_after.unwrap_or(f64::NAN),
        rss_before.unwrap_or(f64::NAN),
        rss_after.unwrap_or(f64::NAN),
    ))
}
