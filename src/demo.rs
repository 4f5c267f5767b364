//! The demo academy (`akademia demo`): WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji,
//! 2021–2022, with 14 gmina teams around Leszno (42 fictional people). Loading twice changes nothing.

use crate::db::Db;
use crate::db::audit::Actor;
use crate::db::programmes::Cohort;
use crate::db::users::{self, User};
use crate::domain::Role;
use crate::domain::fold::fold;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::service::programmes::{self, CohortInput, ProgrammeInput};
use crate::service::users::{self as user_service, NewUserInput};
use crate::service::{enrolments, import};

pub const PASSWORD: &str = "demo-akademia";
pub const COORDINATOR: &str = "koordynator@demo.akademia.pl";
pub const TRAINER: &str = "trener@demo.akademia.pl";
pub const TRAINER2: &str = "trenerka@demo.akademia.pl";
pub const PARTNER: &str = "partner@demo.akademia.pl";
pub const FUNDER: &str = "grantodawca@demo.akademia.pl";
pub const ADMIN: &str = "admin@demo.akademia.pl";
pub const PROGRAMME: &str = "warnik";
pub const COHORT: &str = "warnik-2021";

/// The 14 gminas (real TERYT codes), each with its office and a fictional local NGO.
const GMINAS: [(&str, &str, &str); 14] = [
    (
        "3063011",
        "Urząd Miasta Leszna",
        "Fundacja Leszczyńska Inicjatywa Obywatelska",
    ),
    (
        "3013043",
        "Urząd Gminy i Miasta Rydzyna",
        "Stowarzyszenie Przyjaciół Ziemi Rydzyńskiej",
    ),
    (
        "3013033",
        "Urząd Gminy i Miasta Osieczna",
        "Stowarzyszenie „Razem dla Osiecznej”",
    ),
    (
        "3013052",
        "Urząd Gminy Święciechowa",
        "Koło Gospodyń Wiejskich „Święciechowianki”",
    ),
    (
        "3013022",
        "Urząd Gminy Lipno",
        "Stowarzyszenie Seniorów Gminy Lipno",
    ),
    (
        "3013012",
        "Urząd Gminy Krzemieniewo",
        "Fundacja „Aktywna Wieś Krzemieniewo”",
    ),
    (
        "3013072",
        "Urząd Gminy Włoszakowice",
        "Towarzystwo Przyjaciół Ziemi Włoszakowickiej",
    ),
    (
        "3013062",
        "Urząd Gminy Wijewo",
        "Stowarzyszenie „Wijewo – Nasza Mała Ojczyzna”",
    ),
    (
        "3011053",
        "Urząd Miejski Śmigla",
        "Śmigielskie Forum Kobiet",
    ),
    (
        "3011011",
        "Urząd Miejski w Kościanie",
        "Kościańskie Centrum Wolontariatu",
    ),
    (
        "3004023",
        "Urząd Miejski w Gostyniu",
        "Fundacja „Gostyńska Przystań”",
    ),
    (
        "3004033",
        "Urząd Miejski w Krobi",
        "Stowarzyszenie Biskupiańskie „Krobia Razem”",
    ),
    (
        "3022053",
        "Urząd Miejski Gminy Rawicz",
        "Rawickie Stowarzyszenie Pomocy Rodzinie",
    ),
    (
        "3022013",
        "Urząd Miejski w Bojanowie",
        "Stowarzyszenie „Bojanowo dla Wszystkich”",
    ),
];

/// Per gmina: the official, the NGO person and the person at risk (first, last, sex, birth year).
const PEOPLE: [[(&str, &str, &str, u16); 3]; 14] = [
    [
        ("Agnieszka", "Wiśniewska", "K", 1978),
        ("Michał", "Konieczny", "M", 1984),
        ("Stanisława", "Przybył", "K", 1949),
    ],
    [
        ("Katarzyna", "Nowicka", "K", 1982),
        ("Tomasz", "Jankowiak", "M", 1976),
        ("Henryk", "Maćkowiak", "M", 1955),
    ],
    [
        ("Beata", "Śliwińska", "K", 1971),
        ("Joanna", "Łuczak", "K", 1988),
        ("Krzysztof", "Woźniak", "M", 1968),
    ],
    [
        ("Marta", "Kaczmarek", "K", 1986),
        ("Halina", "Grześkowiak", "K", 1958),
        ("Zofia", "Ratajczak", "K", 1944),
    ],
    [
        ("Paweł", "Dudziak", "M", 1980),
        ("Elżbieta", "Kubiak", "K", 1963),
        ("Janina", "Sobczak", "K", 1950),
    ],
    [
        ("Monika", "Jóźwiak", "K", 1990),
        ("Grzegorz", "Stróżyński", "M", 1979),
        ("Bogdan", "Pietrzak", "M", 1961),
    ],
    [
        ("Aleksandra", "Matuszewska", "K", 1985),
        ("Ryszard", "Świątek", "M", 1957),
        ("Teresa", "Wawrzyniak", "K", 1947),
    ],
    [
        ("Dorota", "Kaźmierczak", "K", 1974),
        ("Łukasz", "Michalak", "M", 1992),
        ("Marianna", "Frąckowiak", "K", 1939),
    ],
    [
        ("Anna", "Żak", "K", 1983),
        ("Małgorzata", "Szymańska", "K", 1970),
        ("Władysław", "Nowak", "M", 1952),
    ],
    [
        ("Iwona", "Głowacka", "K", 1977),
        ("Piotr", "Bączyk", "M", 1981),
        ("Danuta", "Ciesielska", "K", 1956),
    ],
    [
        ("Ewa", "Marciniak", "K", 1969),
        ("Jakub", "Wojciechowski", "M", 1991),
        ("Zdzisław", "Błaszczyk", "M", 1946),
    ],
    [
        ("Renata", "Jędrzejczak", "K", 1979),
        ("Barbara", "Dutkiewicz", "K", 1966),
        ("Kazimierz", "Olejniczak", "M", 1958),
    ],
    [
        ("Jolanta", "Pawlak", "K", 1973),
        ("Adam", "Stachowiak", "M", 1987),
        ("Krystyna", "Gąsiorek", "K", 1953),
    ],
    [
        ("Sylwia", "Bartkowiak", "K", 1989),
        ("Mirosław", "Nawrocki", "M", 1972),
        ("Irena", "Łakomy", "K", 1948),
    ],
];

async fn ensure_user(db: &Db, email: &str, name: &str, role: Role) -> AppResult<User> {
    if let Some(user) = users::find_by_email(db, email).await? {
        return Ok(user);
    }
    let input = NewUserInput {
        email: email.to_owned(),
        name: name.to_owned(),
        role: role.as_str().to_owned(),
        password: PASSWORD.to_owned(),
        password_confirm: None,
    };
    user_service::create(db, &Actor::system(), &input).await
}

/// The participants as a CSV in the contract's Polish layout (what a coordinator would upload).
fn participants_csv() -> String {
    let mut csv =
        String::from("imię;nazwisko;email;telefon;gmina;grupa;organizacja;płeć;rok_urodzenia\n");
    for (i, ((teryt, office, ngo), team)) in GMINAS.iter().zip(PEOPLE.iter()).enumerate() {
        for (slot, (first, last, sex, year)) in team.iter().enumerate() {
            let (group, organisation, email) = match slot {
                0 => (
                    "urzędnik",
                    *office,
                    format!("{}.{}@urzad.example.pl", fold(first), fold(last)),
                ),
                1 => (
                    "ngo",
                    *ngo,
                    format!("{}.{}@ngo.example.org", fold(first), fold(last)),
                ),
                _ => ("onw", "", String::new()),
            };
            let phone = if slot == 2 {
                format!("+48 600 {:03} {:03}", 100 + i, 200 + i * 7)
            } else {
                String::new()
            };
            csv.push_str(&format!(
                "{first};{last};{email};{phone};{teryt};{group};{organisation};{sex};{year}\n"
            ));
        }
    }
    csv
}

/// Loads the demo academy and returns what to tell the person at the terminal.
pub async fn load(db: &Db) -> AppResult<String> {
    ensure_user(db, ADMIN, "Administrator Demo", Role::Admin).await?;
    let coordinator = ensure_user(
        db,
        COORDINATOR,
        "Katarzyna Koordynatorska",
        Role::Coordinator,
    )
    .await?;
    ensure_user(db, TRAINER, "Tomasz Trenerski", Role::Trainer).await?;
    ensure_user(db, TRAINER2, "Anna Rzecznicka", Role::Trainer).await?;
    ensure_user(
        db,
        PARTNER,
        "Ingrid Solberg (Newschool, Oslo)",
        Role::Trainer,
    )
    .await?;
    ensure_user(db, FUNDER, "Grażyna Grantowa", Role::Funder).await?;

    let programme = match programmes::find_programme(db, PROGRAMME).await? {
        Some(p) => p,
        None => {
            let input = ProgrammeInput {
                name: "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji".into(),
                slug: PROGRAMME.into(),
                funder: "Aktywni Obywatele – Fundusz Regionalny (Fundusze EOG)".into(),
                grant_amount: "84393".into(),
                grant_currency: "EUR".into(),
                starts_on: "2021-01-04".into(),
                ends_on: "2022-10-31".into(),
                partners: "Newschool, Oslo, Norwegia".into(),
                acknowledgement: "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz Regionalny, \
                                  finansowanego przez Islandię, Liechtenstein i Norwegię ze środków Funduszy EOG."
                    .into(),
                archived: false,
            };
            programmes::create(db, &coordinator, &input).await?
        }
    };
    if !crate::db::programmes::is_member(db, programme.id, coordinator.id).await? {
        let admin = users::find_by_email(db, ADMIN)
            .await?
            .ok_or(AppError::NotFound)?;
        programmes::add_member(db, &admin, PROGRAMME, COORDINATOR).await?;
    }
    let cohort = match programmes::find_cohort(db, COHORT).await? {
        Some(c) => c,
        None => {
            let input = CohortInput {
                programme: programme.id.to_string(),
                name: "WARNiK 2021–2022".into(),
                slug: COHORT.into(),
                starts_on: "2021-03-01".into(),
                ends_on: "2022-10-31".into(),
                archived: false,
                marking_days: String::new(),
            };
            programmes::create_cohort(db, &coordinator, &input).await?
        }
    };
    let (_, enrolled) = enrolments::list(db, &coordinator, COHORT).await?;
    if enrolled.is_empty() {
        import::import(
            db,
            &Actor::user(&coordinator),
            &cohort,
            participants_csv().as_bytes(),
            false,
        )
        .await?;
    }
    let planned = schedule(db, &coordinator).await?;
    attendance(db, &coordinator).await?;
    let certified = certificates(db, &coordinator, &cohort).await?;
    let funder = users::find_by_email(db, FUNDER)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = db.begin().await?;
    crate::db::programmes::add_member(&mut tx, programme.id, funder.id).await?;
    tx.commit().await?;
    let tasks = tasks(db, &coordinator, &cohort).await?;
    let surveyed = surveys(db, &coordinator, &cohort).await?;
    indicators(db, &coordinator).await?;
    Ok(format!(
        "Demo academy loaded: programme \"{}\", cohort {} (42 participants in 14 gmina teams, {planned} activities, {certified} certificates, {tasks} commissioned tasks, competence surveys of {surveyed} people before and after).\n\
         Logins (password {PASSWORD}):\n  {COORDINATOR} (coordinator)\n  {TRAINER}, {TRAINER2}, {PARTNER} (trainers)\n  {FUNDER} (funder)\n  {ADMIN} (admin)",
        programme.name, cohort.slug
    ))
}

/// One planned activity of the demo: kind, title, module, Warsaw start and end, place or link,
/// trainers, groups and teams of the audience.
struct Plan {
    kind: &'static str,
    title: String,
    module: &'static str,
    starts: String,
    ends: String,
    location: String,
    online_url: &'static str,
    host: &'static str,
    trainers: Vec<&'static str>,
    groups: Vec<&'static str>,
    teams: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn plan(
    kind: &'static str,
    title: &str,
    module: &'static str,
    day: &str,
    from: &str,
    to: &str,
    location: &str,
    trainers: &[&'static str],
    groups: &[&'static str],
) -> Plan {
    Plan {
        kind,
        title: title.to_owned(),
        module,
        starts: format!("{day}T{from}"),
        ends: format!("{day}T{to}"),
        location: location.to_owned(),
        online_url: "",
        host: "",
        trainers: trainers.to_vec(),
        groups: groups.to_vec(),
        teams: Vec::new(),
    }
}

/// Study-visit hosts: organisations that cooperate well with their gmina (fictional).
const HOSTS: [(&str, &str); 2] = [
    ("Stowarzyszenie „Wspólna Sprawa” w Swarzędzu", "3021163"),
    ("Fundacja „Dobry Sąsiad” w Kościanie", "3011011"),
];

const HALL: &str = "Leszno, ul. Słowiańska 1, sala konferencyjna";

/// The academy's programme as in the seed text: group-specific trainings, joint trainings, two study
/// visits, a webinar with the Norwegian partner and coaching of every team, 2021–2022.
fn programme_plan(teams: &[(String, String)]) -> Vec<Plan> {
    let (t1, t2, oslo) = (TRAINER, TRAINER2, PARTNER);
    let mut plans = vec![
        plan(
            "training",
            "Partycypacja społeczna w gminie",
            "Partycypacja społeczna",
            "2021-04-13",
            "09:00",
            "14:15",
            HALL,
            &[t1],
            &["official"],
        ),
        plan(
            "training",
            "Rola organizacji społecznych we wspólnocie lokalnej",
            "Rola organizacji społecznych",
            "2021-04-14",
            "09:00",
            "14:15",
            HALL,
            &[t2],
            &["ngo"],
        ),
        plan(
            "training",
            "Mój głos w gminie: partycypacja na co dzień",
            "Partycypacja społeczna",
            "2021-04-15",
            "10:00",
            "14:30",
            HALL,
            &[t2],
            &["at_risk"],
        ),
        plan(
            "training",
            "Formalne i prawne zlecanie zadań publicznych",
            "Zlecanie zadań publicznych",
            "2021-06-08",
            "09:00",
            "15:00",
            HALL,
            &[t1],
            &["official"],
        ),
        plan(
            "training",
            "Oferta, umowa, rozliczenie: zadanie publiczne od strony organizacji",
            "Zlecanie zadań publicznych",
            "2021-06-09",
            "09:00",
            "15:00",
            HALL,
            &[t1],
            &["ngo"],
        ),
        plan(
            "training",
            "Rzecznictwo w sprawach mieszkańców",
            "Rzecznictwo",
            "2021-06-10",
            "10:00",
            "14:30",
            HALL,
            &[t2],
            &["at_risk"],
        ),
        plan(
            "training",
            "Współpraca trójstronna: urząd, organizacja, mieszkańcy",
            "Współpraca trójstronna",
            "2021-09-21",
            "09:30",
            "15:30",
            HALL,
            &[t1, t2],
            &[],
        ),
        plan(
            "training",
            "Negocjacje i budowanie porozumień",
            "Negocjacje",
            "2021-10-19",
            "09:30",
            "15:30",
            HALL,
            &[t2],
            &[],
        ),
    ];
    let mut visit = plan(
        "study_visit",
        "Wizyta studyjna: Swarzędz – współpraca gminy z organizacjami",
        "Wizyta studyjna",
        "2021-09-28",
        "08:00",
        "17:00",
        "Swarzędz, ul. Poznańska 25",
        &[t1],
        &[],
    );
    visit.host = HOSTS[0].0;
    plans.push(visit);
    let mut visit = plan(
        "study_visit",
        "Wizyta studyjna: Kościan – małe granty w praktyce",
        "Wizyta studyjna",
        "2022-05-17",
        "08:30",
        "16:30",
        "Kościan, ul. Bernardyńska 1",
        &[t2],
        &[],
    );
    visit.host = HOSTS[1].0;
    plans.push(visit);
    let mut webinar = plan(
        "webinar",
        "Współpraca lokalna i działalność rzecznicza – doświadczenia z Norwegii",
        "Rzecznictwo",
        "2021-11-16",
        "17:00",
        "18:30",
        "",
        &[oslo, t2],
        &[],
    );
    webinar.online_url = "https://meet.demo.akademia.pl/warnik-oslo";
    plans.push(webinar);
    // Coaching of every team, twice: on Tuesdays of January–February and March–April 2022, two
    // teams a day (morning and afternoon, different coaches), at the gmina's office.
    for (i, (teryt, office, _)) in GMINAS.iter().enumerate() {
        let gmina = teams
            .iter()
            .find(|(t, _)| t == teryt)
            .map(|(_, name)| name.as_str())
            .unwrap_or(teryt);
        let week = chrono::Duration::days(7 * (i / 2) as i64);
        let (from, to) = if i % 2 == 0 {
            ("10:00", "12:15")
        } else {
            ("13:00", "15:15")
        };
        let coach = if i % 2 == 0 { t1 } else { t2 };
        for (first_day, topic) in [
            ("2022-01-11", "harmonogram działań i badanie potrzeb"),
            ("2022-03-15", "pomysły na zlecenie zadań organizacjom"),
        ] {
            let day =
                chrono::NaiveDate::parse_from_str(first_day, "%Y-%m-%d").unwrap_or_default() + week;
            let mut session = plan(
                "coaching",
                &format!("Coaching zespołu {gmina}: {topic}"),
                "Coaching",
                &day.to_string(),
                from,
                to,
                &format!("{office}, sala narad"),
                &[coach],
                &[],
            );
            session.teams = vec![(*teryt).to_owned()];
            plans.push(session);
        }
    }
    plans
}

/// Plans the demo academy's activities once; returns how many the cohort has.
async fn schedule(db: &Db, coordinator: &User) -> AppResult<usize> {
    use crate::service::activities::{self as activities, ActivityInput, Saved};
    use crate::service::organisations::{self as organisations, OrganisationInput};

    let (_, existing, _) = activities::schedule(db, coordinator, COHORT).await?;
    if !existing.is_empty() {
        return Ok(existing.len());
    }
    let known = crate::db::organisations::list(db).await?;
    for (name, teryt) in HOSTS {
        if !known.iter().any(|o| o.name == name) {
            let input = OrganisationInput {
                name: name.to_owned(),
                kind: "ngo".to_owned(),
                gmina: teryt.to_owned(),
                ..Default::default()
            };
            organisations::create(db, coordinator, &input).await?;
        }
    }
    let cohort = programmes::find_cohort(db, COHORT)
        .await?
        .ok_or(AppError::NotFound)?;
    let teams: Vec<(String, String)> = crate::db::enrolments::teams(db, cohort.id)
        .await?
        .into_iter()
        .map(|t| (t.teryt, t.name))
        .collect();
    let plans = programme_plan(&teams);
    let count = plans.len();
    for p in plans {
        let input = ActivityInput {
            kind: p.kind.to_owned(),
            title: p.title,
            module: p.module.to_owned(),
            description: String::new(),
            starts_at: p.starts,
            ends_at: p.ends,
            hours: String::new(),
            location: p.location,
            online_url: p.online_url.to_owned(),
            host: p.host.to_owned(),
            capacity: String::new(),
            trainers: p.trainers.iter().map(|t| (*t).to_owned()).collect(),
            groups: p.groups.iter().map(|g| (*g).to_owned()).collect(),
            teams: p.teams,
            allow_conflicts: false,
        };
        if let Saved::Conflicts(found) = activities::create(db, coordinator, COHORT, &input).await?
        {
            return Err(AppError::Unexpected(anyhow::anyhow!(
                "demo schedule clashes: {} with {}",
                input.title,
                found[0].activity.title
            )));
        }
    }
    // One meeting did not take place: a joint session cancelled for the pandemic restrictions.
    let cancelled = ActivityInput {
        kind: "training".to_owned(),
        title: "Spotkanie otwierające Akademię".to_owned(),
        module: "Wprowadzenie".to_owned(),
        starts_at: "2021-03-23T10:00".to_owned(),
        ends_at: "2021-03-23T13:00".to_owned(),
        location: HALL.to_owned(),
        trainers: vec![TRAINER.to_owned(), TRAINER2.to_owned()],
        ..Default::default()
    };
    if let Saved::Done(view) = activities::create(db, coordinator, COHORT, &cancelled).await? {
        activities::cancel(
            db,
            coordinator,
            view.activity.id,
            "Obostrzenia pandemiczne – spotkanie zastąpione szkoleniami w grupach",
        )
        .await?;
    }
    Ok(count + 1)
}

/// Realistic attendance for every activity that took place: most people present, some late,
/// excused or absent, and about one person in nine who often misses (so some fall below 80 %).
/// Written once, as the trainers' marks (the marking window is long closed for 2021–2022).
async fn attendance(db: &Db, coordinator: &User) -> AppResult<()> {
    use crate::domain::attendance::Mark;

    let data = crate::service::attendance::cohort(db, coordinator, COHORT).await?;
    if !data.marks.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let mut written = 0;
    for (a, view) in data.views.iter().enumerate() {
        if view.cancelled() {
            continue;
        }
        let marked_by = view
            .trainers
            .first()
            .map(|t| t.id)
            .unwrap_or(coordinator.id);
        let marks: Vec<(crate::db::Id, Mark)> = view
            .roster
            .iter()
            .map(|e| {
                let p = data.enrolments.iter().position(|x| x.id == *e).unwrap_or(0);
                let roll = (a * 37 + p * 61 + 11) % 100;
                let mark = if p % 9 == 4 {
                    match roll {
                        0..=44 => Mark::Present,
                        45..=54 => Mark::Late,
                        55..=69 => Mark::Excused,
                        _ => Mark::Absent,
                    }
                } else {
                    match roll {
                        0..=86 => Mark::Present,
                        87..=91 => Mark::Late,
                        92..=95 => Mark::Excused,
                        _ => Mark::Absent,
                    }
                };
                (*e, mark)
            })
            .collect();
        written += marks.len();
        crate::db::attendance::upsert_at(
            &mut tx,
            view.activity.id,
            &marks,
            marked_by,
            view.activity.ends_at,
        )
        .await?;
    }
    let change = crate::db::audit::Change {
        action: "demo.attendance",
        entity: "cohort",
        entity_id: Some(data.cohort.id.to_string()),
        before: None,
        after: Some(serde_json::json!({ "marks": written })),
    };
    crate::db::audit::record(&mut tx, &Actor::system(), change).await?;
    tx.commit().await?;
    Ok(())
}

/// The demo's certificate rule (80 % and a study visit) and its certificates, issued on the
/// cohort's last day; returns how many valid certificates the cohort holds.
async fn certificates(db: &Db, coordinator: &User, cohort: &Cohort) -> AppResult<usize> {
    use crate::service::certificates::{self as service, Issuer, SettingsInput};
    if crate::db::certificates::rule(db, cohort.id)
        .await?
        .is_none()
    {
        let input = SettingsInput {
            prefix: "WARNIK".into(),
            min_rate: "80".into(),
            required_kinds: "study_visit=1".into(),
            required_modules: String::new(),
            organiser: "Fundacja Instytut Badań i Rozwoju Lokalnego".into(),
            signatory: "Katarzyna Koordynatorska".into(),
            signatory_role: "Koordynatorka projektu".into(),
            place: "Leszno".into(),
        };
        service::save_settings(db, coordinator, &cohort.slug, &input).await?;
    }
    let by = Issuer {
        actor: Actor::user(coordinator),
        user: Some(coordinator.id),
        day: Some(cohort.ends_on),
    };
    service::issue_in(db, cohort.clone(), &by, None, Lang::Pl).await?;
    let valid = crate::db::certificates::count_valid(db, cohort.id).await?;
    Ok(usize::try_from(valid).unwrap_or(0))
}

/// Public tasks the demo's gminas commissioned after the course, as published for WARNiK: 11 new
/// tasks in 10 gminas (seniors, integration of residents, foreigners, children and youth), plus one
/// continued task that is not new. Returns how many tasks the cohort holds.
async fn tasks(db: &Db, coordinator: &User, cohort: &Cohort) -> AppResult<usize> {
    use crate::service::tasks::{TaskInput, create_in};
    let existing = crate::db::tasks::for_cohort(db, cohort.id).await?;
    if !existing.is_empty() {
        return Ok(existing.len());
    }
    for (teryt, title, sphere, mode, amount, on, group, is_new) in TASKS {
        let contractor = GMINAS
            .iter()
            .find(|(t, _, _)| *t == teryt)
            .map(|(_, _, ngo)| (*ngo).to_owned())
            .unwrap_or_default();
        let input = TaskInput {
            gmina: teryt.into(),
            title: title.into(),
            sphere: sphere.into(),
            mode: mode.into(),
            contractor,
            amount: amount.into(),
            commissioned_on: on.into(),
            is_new,
            target_groups: vec![group.into()],
            ..TaskInput::default()
        };
        create_in(
            db,
            cohort,
            &Actor::user(coordinator),
            Some(coordinator.id),
            &input,
        )
        .await?;
    }
    Ok(TASKS.len())
}

/// The competence questionnaire: three items for everyone and one for each group, on what the
/// published results say the groups gained (participation, cooperation, commissioning, a sense of
/// influence and self-advocacy).
const SURVEY: [(&str, &str); 6] = [
    (
        "Wiem, jak mieszkańcy mogą wpływać na decyzje gminy (konsultacje, inicjatywa lokalna, budżet obywatelski).",
        "",
    ),
    (
        "Potrafię współpracować przy wspólnym zadaniu z urzędem, organizacją pozarządową i mieszkańcami.",
        "",
    ),
    (
        "Wiem, w jakich trybach gmina może zlecić zadanie publiczne organizacji pozarządowej.",
        "",
    ),
    (
        "Potrafię przygotować ogłoszenie otwartego konkursu ofert albo zlecenie w trybie „małych grantów”.",
        "official",
    ),
    (
        "Potrafię przygotować ofertę realizacji zadania publicznego i uzasadnić potrzebę jego zlecenia.",
        "ngo",
    ),
    (
        "Czuję, że mam wpływ na sprawy mojej gminy, i wiem, jak zabrać głos we własnej sprawie.",
        "at_risk",
    ),
];

/// The questionnaire and everyone's answers before the course (spring 2021) and after it (autumn
/// 2022): every participant answered before, all but three after; most improved by a point or
/// two, some stayed where they were. Returns how many people answered both times.
async fn surveys(db: &Db, coordinator: &User, cohort: &Cohort) -> AppResult<usize> {
    use crate::domain::survey::{Phase, SCALE};
    use crate::service::surveys::{ItemInput, add_item_in, items_for, record_answers};
    let actor = Actor::user(coordinator);
    if crate::db::surveys::items(db, cohort.id).await?.is_empty() {
        for (text, group) in SURVEY {
            let input = ItemInput {
                text: text.into(),
                groups: [group]
                    .iter()
                    .filter(|g| !g.is_empty())
                    .map(|g| g.to_string())
                    .collect(),
            };
            add_item_in(db, &actor, cohort, &input).await?;
        }
    } else {
        let change = crate::service::surveys::competence(db, cohort.id).await?;
        return Ok(change.overall.people);
    }
    let items = crate::service::surveys::items(db, coordinator, &cohort.slug)
        .await?
        .1;
    let people = crate::db::enrolments::list_for_cohort(db, cohort.id).await?;
    let mut both = 0;
    for (p, person) in people.iter().enumerate() {
        let asked = items_for(&items, person.grp);
        // where people start: at-risk people lowest, and a spread around that
        let base = match person.grp {
            crate::domain::participant::Group::AtRisk => 2,
            _ => 3,
        };
        let pre: Vec<(crate::db::Id, i32)> = asked
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let spread = match roll(p, i, 1) {
                    0..30 => -1,
                    30..75 => 0,
                    _ => 1,
                };
                (item.id, (base + spread).clamp(*SCALE.start(), *SCALE.end()))
            })
            .collect();
        record_answers(
            db,
            &actor,
            Some(coordinator.id),
            person.id,
            Phase::Pre,
            &pre,
        )
        .await?;
        if p % 14 == 5 {
            continue; // three people did not answer after the course
        }
        let post: Vec<(crate::db::Id, i32)> = pre
            .iter()
            .enumerate()
            .map(|(i, (item, before))| {
                let gain = match roll(p, i, 2) {
                    0..20 => 0,
                    20..65 => 1,
                    65..92 => 2,
                    _ => -1,
                };
                (*item, (before + gain).clamp(*SCALE.start(), *SCALE.end()))
            })
            .collect();
        record_answers(
            db,
            &actor,
            Some(coordinator.id),
            person.id,
            Phase::Post,
            &post,
        )
        .await?;
        both += 1;
    }
    Ok(both)
}

/// A number from 0 to 99 that looks random but is the same on every load.
fn roll(person: usize, item: usize, salt: usize) -> usize {
    let x = (person as u64 + 1).wrapping_mul(2_654_435_761)
        ^ (item as u64 + 1).wrapping_mul(40_503)
        ^ (salt as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((x ^ (x >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9) >> 32) as usize % 100
}

/// The programme's indicators, as its grant agreement would set them.
async fn indicators(db: &Db, coordinator: &User) -> AppResult<()> {
    use crate::service::indicators::{IndicatorInput, create};
    if !crate::db::indicators::for_programme(
        db,
        programmes::find_programme(db, PROGRAMME)
            .await?
            .ok_or(AppError::NotFound)?
            .id,
    )
    .await?
    .is_empty()
    {
        return Ok(());
    }
    let list = [
        (
            "Uczestnicy i uczestniczki akademii w trzyosobowych zespołach gminnych",
            "osoby",
            "0",
            "42",
            "participants",
            "",
        ),
        (
            "Gminy z pełnym zespołem (urzędnik, NGO, ONW)",
            "gminy",
            "0",
            "14",
            "complete_teams",
            "",
        ),
        (
            "Gminy, które zleciły organizacjom nowe zadania publiczne",
            "gminy",
            "0",
            "10",
            "gminas_commissioning",
            "",
        ),
        (
            "Nowe zadania publiczne zlecone organizacjom pozarządowym",
            "zadania",
            "0",
            "10",
            "new_tasks",
            "",
        ),
        (
            "Osoby z poprawą samooceny kompetencji",
            "%",
            "",
            "70",
            "competence_improved",
            "",
        ),
        (
            "Instruktaż włączania osób narażonych na wykluczenie w działania rzecznicze",
            "dokument",
            "0",
            "1",
            "manual",
            "1",
        ),
    ];
    for (name, unit, baseline, target, source, manual) in list {
        let input = IndicatorInput {
            name: name.into(),
            unit: unit.into(),
            baseline: baseline.into(),
            target: target.into(),
            source: source.into(),
            manual_value: manual.into(),
        };
        create(db, coordinator, PROGRAMME, &input).await?;
    }
    Ok(())
}

/// Gmina, title, sphere (art. 4 point), mode, amount (PLN), date, target group, new.
type DemoTask = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
);

const TASKS: [DemoTask; 12] = [
    (
        "3063011",
        "Leszczyński Klub Seniora – zajęcia aktywizujące",
        "10",
        "OKO_WSPARCIE",
        "38000",
        "2022-03-15",
        "seniors",
        true,
    ),
    (
        "3063011",
        "Punkt wsparcia i integracji dla cudzoziemców",
        "5a",
        "OKO_POWIERZENIE",
        "45000",
        "2022-04-20",
        "foreigners",
        true,
    ),
    (
        "3063011",
        "Dzienny Dom Seniora – kontynuacja",
        "10",
        "OKO_POWIERZENIE",
        "120000",
        "2022-01-10",
        "seniors",
        false,
    ),
    (
        "3013043",
        "Rydzyńskie spotkania sąsiedzkie",
        "13",
        "ART19A_MALE_GRANTY",
        "8500",
        "2022-05-06",
        "integration",
        true,
    ),
    (
        "3013033",
        "Wakacje z Osieczną – zajęcia dla dzieci i młodzieży",
        "15",
        "ART19A_MALE_GRANTY",
        "9800",
        "2022-06-01",
        "children_youth",
        true,
    ),
    (
        "3013052",
        "Seniorzy w sieci – warsztaty cyfrowe",
        "10",
        "ART19A_MALE_GRANTY",
        "7200",
        "2022-04-04",
        "seniors",
        true,
    ),
    (
        "3013022",
        "Klub Seniora w Lipnie",
        "10",
        "OKO_WSPARCIE",
        "24000",
        "2022-02-28",
        "seniors",
        true,
    ),
    (
        "3013072",
        "Festyn integracyjny mieszkańców Włoszakowic",
        "13",
        "ART19A_MALE_GRANTY",
        "6500",
        "2022-07-12",
        "integration",
        true,
    ),
    (
        "3011053",
        "Lekcje polskiego i integracja rodzin z Ukrainy",
        "5a",
        "ART19A_MALE_GRANTY",
        "9900",
        "2022-05-23",
        "foreigners",
        true,
    ),
    (
        "3011011",
        "Młodzieżowa Rada Miasta Kościana – wsparcie działań",
        "15",
        "OKO_POWIERZENIE",
        "30000",
        "2022-03-30",
        "children_youth",
        true,
    ),
    (
        "3004023",
        "Sąsiedzka pomoc dla seniorów w Gostyniu",
        "10",
        "OKO_WSPARCIE",
        "18000",
        "2022-09-05",
        "seniors",
        true,
    ),
    (
        "3022053",
        "Centrum integracji mieszkańców osiedla Grota-Roweckiego",
        "13",
        "OKO_WSPARCIE",
        "35000",
        "2022-08-18",
        "integration",
        true,
    ),
];
