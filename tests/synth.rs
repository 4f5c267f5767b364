//! The synthetic programme for benchmarks, at its small scale, on both backends.
mod common;

use akademia::synth::{Scale, generate};

both_backends! {
    async fn the_small_synthetic_programme_has_what_it_says(app) {
        let summary = generate(&app.db, Scale::SMALL).await.expect("synth generates");
        assert!(summary.contains("6 cohorts"), "{summary}");
        assert_eq!(app.count("SELECT COUNT(*) FROM cohorts WHERE slug LIKE 'synth-%'").await, 6);
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 180);
        assert_eq!(app.count("SELECT COUNT(*) FROM activities").await, 72);
        // Per cohort: 9 group activities × 10 people + 3 joint × 30.
        assert_eq!(app.count("SELECT COUNT(*) FROM attendance").await, 6 * (9 * 10 + 3 * 30));
        assert_eq!(app.count("SELECT COUNT(*) FROM commissioned_tasks").await, 12);
        // Every gmina team is complete: one of each group per gmina slice.
        let incomplete = app.count(
            "SELECT COUNT(*) FROM (SELECT cohort_id, gmina_teryt FROM enrolments \
             GROUP BY cohort_id, gmina_teryt HAVING COUNT(DISTINCT grp) < 3) x",
        ).await;
        assert_eq!(incomplete, 0);
        // A second run refuses instead of doubling the data.
        assert!(generate(&app.db, Scale::SMALL).await.is_err());
        assert_eq!(app.count("SELECT COUNT(*) FROM enrolments").await, 180);
    }
}
