//! The coordinator's pages: programmes and cohorts built in the browser, the cohort organised by
//! gmina team, enrolling from a team slot, the CSV import with its preview, template and exports.
mod common;

use akademia::domain::Role;
use common::{Browse, Browser};
use rocket::http::{ContentType, Status};

const OK_CSV: &str = include_str!("../../shared/fixtures/participants_ok.csv");
const BAD_CSV: &str = include_str!("../../shared/fixtures/participants_bad.csv");

/// A programme and a cohort made through the forms; returns the cohort's page path.
async fn programme_and_cohort(browser: &Browser) -> String {
    let (status, location, body) = browser
        .post_form(
            "/programmes",
            &[
                ("name", "Akademia Rzecznictwa Wielkopolska"),
                ("slug", ""),
                ("funder", "Fundusz Regionalny"),
                ("grant_amount", "84 393,00"),
                ("grant_currency", "EUR"),
                ("starts_on", "2027-01-01"),
                ("ends_on", "2027-12-31"),
                ("partners", "Newschool, Oslo"),
                ("acknowledgement", "Finansowane z Funduszy EOG."),
            ],
        )
        .await;
    assert_eq!(status, Status::SeeOther, "{body}");
    assert_eq!(
        location.as_deref(),
        Some("/programmes/akademia-rzecznictwa-wielkopolska")
    );
    let (_, page) = browser
        .get("/programmes/akademia-rzecznictwa-wielkopolska")
        .await;
    assert!(page.contains("84\u{a0}393,00\u{a0}EUR"), "{page}");
    let (status, location, body) = browser
        .post_form(
            "/programmes/akademia-rzecznictwa-wielkopolska/cohorts",
            &[
                ("name", "Edycja Śremska"),
                ("slug", "sremska"),
                ("starts_on", "2027-02-01"),
                ("ends_on", "2027-11-30"),
            ],
        )
        .await;
    assert_eq!(status, Status::SeeOther, "{body}");
    location.expect("redirect to the cohort")
}

/// Posts a multipart form with a file and optional extra fields.
async fn upload(
    browser: &Browser,
    path: &str,
    file: &[u8],
    extra: &[(&str, &str)],
) -> (Status, String) {
    let token = browser.csrf().await;
    let boundary = "AkAdEmIaBoUnDaRy";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
    )
    .into_bytes();
    for (name, value) in extra {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"uczestnicy.csv\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes());
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let content_type =
        ContentType::new("multipart", "form-data").with_params(("boundary", boundary));
    let res = browser
        .client
        .post(path.to_owned())
        .header(content_type)
        .body(body)
        .dispatch()
        .await;
    let status = res.status();
    (status, res.into_string().await.unwrap_or_default())
}

async fn get_bytes(browser: &Browser, path: &str) -> (Status, Vec<u8>) {
    let res = browser.client.get(path.to_owned()).dispatch().await;
    let status = res.status();
    (status, res.into_bytes().await.unwrap_or_default())
}

/// The `value` of the small-cell threshold field on the programme page.
fn threshold_field(page: &str) -> &str {
    let input = page
        .split("<input id=\"f-small_cell_threshold\"")
        .nth(1)
        .expect("the threshold field");
    let value = input.split("value=\"").nth(1).expect("a value");
    &value[..value.find('"').unwrap()]
}

fn xlsx_cells(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).expect("a sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

both_backends! {
    async fn a_coordinator_builds_a_cohort_gmina_by_gmina_in_the_browser(app) {
        let (_, coordinator, _) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        let cohort = programme_and_cohort(&coordinator).await;
        assert_eq!(cohort, "/cohorts/sremska");

        // the gmina picker finds Śrem without diacritics; adding it makes an empty team
        let (status, page) = coordinator.get("/cohorts/sremska/gminas?q=srem").await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("3026043"), "{page}");
        let (status, location, _) = coordinator.post_form("/cohorts/sremska/gminas", &[("gmina", "3026043")]).await;
        assert_eq!(status, Status::SeeOther);
        assert!(location.unwrap().starts_with("/cohorts/sremska"));
        let (_, page) = coordinator.get("/cohorts/sremska").await;
        assert!(page.contains("Śrem") && page.contains("niepełny zespół"));
        for missing in ["brak urzędnika", "brak osoby z NGO", "brak osoby z grupy ONW"] {
            assert!(page.contains(missing), "{missing}");
        }

        // a team slot opens the form with gmina and group filled in
        let (status, form) = coordinator.get("/cohorts/sremska/enrol?gmina=3026043&group=ngo").await;
        assert_eq!(status, Status::Ok);
        assert!(form.contains("value=\"3026043\""));
        assert!(form.contains("<option value=\"ngo\" selected>"));
        assert!(form.contains("Do zespołu gminy Śrem"));

        let person = |first: &'static str, last: &'static str, group: &'static str, email: &'static str| {
            vec![("first_name", first), ("last_name", last), ("email", email), ("phone", ""), ("gmina", "3026043"),
                 ("group", group), ("organisation", ""), ("sex", "K"), ("birth_year", "1980"), ("vulnerability", ""),
                 ("consent_data_on", "2027-02-01"), ("consent_image_on", "")]
        };
        let (status, _, body) = coordinator.post_form("/cohorts/sremska/enrolments", &person("Grażyna", "Żółć", "ngo", "grazyna@example.pl")).await;
        assert_eq!(status, Status::SeeOther, "{body}");
        // a bad birth year re-renders the form with the error beside the field, nothing written
        let mut bad = person("Jan", "Kos", "official", "");
        bad[8] = ("birth_year", "19x5");
        let (status, _, body) = coordinator.post_form("/cohorts/sremska/enrolments", &bad).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(body.contains("rok urodzenia musi mieć 4 cyfry"), "{body}");
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 1);
        let (_, page) = coordinator.get("/cohorts/sremska").await;
        assert!(page.contains("Grażyna Żółć"));
        assert!(!page.contains("brak osoby z NGO") && page.contains("brak urzędnika"));

        // the same email again is refused in the form
        let (status, _, body) = coordinator.post_form("/cohorts/sremska/enrolments", &person("Inna", "Osoba", "official", "GRAZYNA@example.pl")).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(body.contains("jest już zapisany w tej edycji"));

        // another coordinator does not see this cohort at all
        let (_, other, _) = app.signed_in("inny@test.pl", Role::Coordinator).await;
        assert_eq!(other.get("/cohorts/sremska").await.0, Status::NotFound);
        let (_, list) = other.get("/programmes").await;
        assert!(!list.contains("Akademia Rzecznictwa Wielkopolska"));
    }

    async fn the_import_preview_shows_every_problem_before_anything_is_written(app) {
        let (_, coordinator, _) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        programme_and_cohort(&coordinator).await;
        let (status, page) = upload(&coordinator, "/cohorts/sremska/import", BAD_CSV.as_bytes(), &[]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("Nic nie zostało zapisane"), "{page}");
        assert!(page.contains("3003011") && page.contains("3003032"), "ambiguous Gniezno lists candidates");
        assert!(page.contains("nieznana grupa „citizen”"));
        assert!(!page.contains("name=\"confirm\""), "no confirmation for a faulty file");
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0);

        // in English the problems are in English
        let (status, page) = upload(&coordinator, "/cohorts/sremska/import?lang=en", BAD_CSV.as_bytes(), &[]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("unknown group \"citizen\"") || page.contains("unknown group &quot;citizen&quot;"), "{page}");

        // a good file previews (back in Polish), then the confirmation writes all six
        let (status, page) = upload(&coordinator, "/cohorts/sremska/import?lang=pl", OK_CSV.as_bytes(), &[]).await;
        assert_eq!(status, Status::Ok);
        assert!(page.contains("Zaimportuj 6 osób"), "{page}");
        assert!(page.contains("Żółkiewska-Łęcka"));
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 0, "the preview writes nothing");
        let (status, _) = upload(&coordinator, "/cohorts/sremska/import", b"", &[("content", OK_CSV), ("confirm", "true")]).await;
        assert_eq!(status, Status::SeeOther);
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 6);
        let (_, page) = coordinator.get("/cohorts/sremska").await;
        assert!(page.contains("Zaimportowano 6 osób."), "{page}");
        assert!(page.contains("2 pełne zespoły"));

        // importing the same file again is refused: the emails are already in the cohort
        let (status, page) = upload(&coordinator, "/cohorts/sremska/import", OK_CSV.as_bytes(), &[]).await;
        assert_eq!(status, Status::UnprocessableEntity);
        assert!(page.contains("jest już zapisany w tej edycji"));
    }

    async fn a_coordinator_sets_the_funder_small_cell_threshold_on_the_programme_page(app) {
        const THRESHOLD: &str = "SELECT CAST(small_cell_threshold AS BIGINT) FROM programmes";
        const AUDITED: &str =
            "SELECT COUNT(*) FROM audit_log WHERE action = 'programme.small_cell_threshold'";
        let (_, coordinator, _) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        programme_and_cohort(&coordinator).await;
        let page_path = "/programmes/akademia-rzecznictwa-wielkopolska";
        let path = "/programmes/akademia-rzecznictwa-wielkopolska/small-cells";
        let (_, page) = coordinator.get(page_path).await;
        assert!(page.contains("Raporty dla grantodawców"), "{page}");
        assert!(page.contains("<label for=\"f-small_cell_threshold\">Ukrywaj w raportach dla grantodawców liczby osób narażonych na wykluczenie mniejsze niż</label>"));
        assert_eq!(threshold_field(&page), "3", "the default is shown");

        let (status, location, body) = coordinator.post_form(path, &[("small_cell_threshold", "5")]).await;
        assert_eq!(status, Status::SeeOther, "{body}");
        assert_eq!(location.as_deref(), Some("/programmes/akademia-rzecznictwa-wielkopolska#small-cells"));
        let (_, page) = coordinator.get(page_path).await;
        assert!(page.contains("Zapisano próg ukrywania małych liczb"), "{page}");
        assert_eq!(threshold_field(&page), "5");
        assert_eq!(app.count(THRESHOLD).await, 5);
        assert_eq!(app.count(AUDITED).await, 1);

        // without the CSRF token nothing changes
        let (status, _, _) = coordinator.post_raw(path, &[("small_cell_threshold", "7")]).await;
        assert_eq!(status, Status::Forbidden);
        assert_eq!(app.count(THRESHOLD).await, 5);

        for bad in ["0", "99", "abc", ""] {
            let (status, location, _) = coordinator.post_form(path, &[("small_cell_threshold", bad)]).await;
            assert_eq!(status, Status::SeeOther, "{bad:?}");
            assert_eq!(location.as_deref(), Some("/programmes/akademia-rzecznictwa-wielkopolska#small-cells"));
            let (_, page) = coordinator.get(page_path).await;
            assert!(page.contains("Pole „Ukrywaj w raportach dla grantodawców liczby osób narażonych na wykluczenie mniejsze niż”: Próg małych liczebności to liczba całkowita od 1 do 50."), "{bad:?}: {page}");
            assert_eq!(threshold_field(&page), "5");
        }
        coordinator.get(&format!("{page_path}?lang=en")).await;
        coordinator.post_form(path, &[("small_cell_threshold", "abc")]).await;
        let (_, page) = coordinator.get(page_path).await;
        assert!(page.contains("The field “In reports for funders, hide counts of people at risk of exclusion smaller than”: The small-cell threshold is a whole number from 1 to 50."), "{page}");
        assert_eq!(app.count(THRESHOLD).await, 5);

        for role in [Role::Trainer, Role::Funder] {
            let (_, browser, _) = app.signed_in(&format!("{}@test.pl", role.as_str()), role).await;
            let (status, _, _) = browser.post_form(path, &[("small_cell_threshold", "2")]).await;
            assert_eq!(status, Status::Forbidden, "{role:?}");
        }
        let (_, other, _) = app.signed_in("inny.koordynator@test.pl", Role::Coordinator).await;
        let (status, _, _) = other.post_form(path, &[("small_cell_threshold", "2")]).await;
        assert_eq!(status, Status::NotFound, "another programme's coordinator");
        assert_eq!(app.count(THRESHOLD).await, 5);
        assert_eq!(app.count(AUDITED).await, 1);
    }

    async fn templates_and_exports_open_in_excel_and_exports_are_audited_and_coordinator_only(app) {
        let (_, coordinator, token) = app.signed_in("koordynator@test.pl", Role::Coordinator).await;
        programme_and_cohort(&coordinator).await;
        let (status, _) = app.api_send(rocket::http::Method::Post, "/api/v1/cohorts/sremska/import", Some(&token), OK_CSV.as_bytes(), ContentType::CSV).await;
        assert_eq!(status, Status::Ok);

        let (status, csv) = get_bytes(&coordinator, "/cohorts/sremska/import/template.csv").await;
        assert_eq!(status, Status::Ok);
        assert!(csv.starts_with("\u{feff}imię;nazwisko;email".as_bytes()));
        let (status, xlsx) = get_bytes(&coordinator, "/cohorts/sremska/import/template.xlsx").await;
        assert_eq!(status, Status::Ok);
        let cells = xlsx_cells(&xlsx);
        assert_eq!(cells[0][0], "imię");
        assert_eq!(cells[1][1], "Żółkiewska-Łęcka");

        let (status, csv) = get_bytes(&coordinator, "/cohorts/sremska/export.csv").await;
        assert_eq!(status, Status::Ok);
        let text = String::from_utf8(csv).unwrap();
        assert!(text.starts_with("\u{feff}imię;nazwisko;"));
        assert!(text.contains("Małgorzata;Żółkiewska-Łęcka;m.zolkiewska@example.pl"));
        assert_eq!(text.lines().count(), 7);
        let (status, xlsx) = get_bytes(&coordinator, "/cohorts/sremska/export.xlsx").await;
        assert_eq!(status, Status::Ok);
        let cells = xlsx_cells(&xlsx);
        assert_eq!(cells.len(), 7);
        assert!(cells.iter().any(|row| row.contains(&"Ślęzak".to_owned())));
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'cohort.export'").await, 2);

        for role in [Role::Trainer, Role::Funder] {
            let (_, browser, _) = app.signed_in(&format!("{}@test.pl", role.as_str()), role).await;
            assert_eq!(get_bytes(&browser, "/cohorts/sremska/export.csv").await.0, Status::Forbidden);
            assert_eq!(get_bytes(&browser, "/cohorts/sremska").await.0, Status::Forbidden);
        }
        assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'cohort.export'").await, 2);
    }
}
