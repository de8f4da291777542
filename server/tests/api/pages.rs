use crate::app_test;
use crate::helpers::TestApp;

app_test! {
    async fn the_landing_page_is_rendered_on_the_server(app: TestApp) {
        let response = app.get("/").await;
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = response.text().await.unwrap();
        assert!(html.contains("Run every business from its own workspace"), "{html}");
        assert!(html.contains(r#"href="/pkg/oikos.css""#));
        assert!(html.contains("/pkg/oikos.js"), "the hydration script is missing");
        assert!(html.contains(r#"href="/pricing""#));
    }
}

/// The text of each plan's rendered price, in page order (the page also embeds the plans as
/// data for hydration, so searching the whole HTML would prove nothing).
fn rendered_prices(html: &str) -> Vec<String> {
    html.split(r#"data-testid="price""#)
        .skip(1)
        .map(|rest| {
            let element = rest.split("</p>").next().unwrap_or_default();
            let element = element.split_once('>').map_or("", |(_, content)| content);
            let mut text = String::new();
            let mut in_tag = false;
            for c in element.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.trim().to_owned()
        })
        .collect()
}

app_test! {
    async fn the_pricing_page_shows_monthly_or_annual_prices_from_the_url(app: TestApp) {
        let monthly = app.get("/pricing").await.text().await.unwrap();
        assert_eq!(rendered_prices(&monthly), ["Free", "$10/month", "$29/month", "$99/month"]);

        let annual = app.get("/pricing?billing=annual").await.text().await.unwrap();
        assert_eq!(
            rendered_prices(&annual),
            [
                "Free",
                "$8/month (billed $96 annually)",
                "$23/month (billed $276 annually)",
                "$79/month (billed $948 annually)",
            ],
            // Once seen failing under the full suite's load: the page then says why.
            "{}",
            annual.get(annual.len().saturating_sub(4000)..).unwrap_or_default()
        );
        // The selected option is marked for assistive technology.
        assert!(annual.contains("Annual (save up to 20%)"), "the best saving, from the plans");
        let selected = annual.split(r#"aria-current="true""#).count() - 1;
        assert_eq!(selected, 1, "exactly one billing option is marked current");
    }
}

/// The rendered features of `plan`'s card (the `<ul aria-label="… includes">` list), not the
/// hydration data, which names them too.
fn rendered_features(html: &str, plan: &str) -> Vec<String> {
    let list = html
        .split(&format!(r#"aria-label="{plan} includes""#))
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap_or_default();
    list.split("</span>")
        .skip(1)
        .filter_map(|item| item.split("</li>").next())
        .map(|text| text.replace("<!>", "").trim().to_owned())
        .collect()
}

app_test! {
    async fn plan_cards_list_what_each_plan_includes(app: TestApp) {
        let html = app.get("/pricing").await.text().await.unwrap();
        assert_eq!(
            rendered_features(&html, "Enterprise"),
            ["Unlimited outlets", "Unlimited staff members", "Unlimited appointments a month", "Unlimited storage", "White label"]
        );
        assert_eq!(
            rendered_features(&html, "Free"),
            ["1 outlet", "5 staff members", "100 appointments a month", "1 GB storage"]
        );
    }
}

#[tokio::test]
async fn custom_plans_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plans.toml");
    std::fs::write(
        &file,
        "currency = \"eur\"\n\
         [[plans]]\ncode = \"FREE\"\nname = \"Gratis\"\nmonthly_price = 0\nannual_price = 0\n\
         [[plans]]\ncode = \"PRO\"\nname = \"Profi\"\nmonthly_price = 1500\nannual_price = 15000\n",
    )
    .unwrap();
    let app = crate::helpers::spawn_app_with(
        oikos::db::Backend::Sqlite,
        &[("OIKOS_PLANS_FILE", file.to_str().unwrap())],
    )
    .await;
    let html = app
        .get("/pricing?billing=annual")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Profi"), "{html}");
    assert!(html.contains("Annual (save up to 16%)"));
    assert_eq!(
        rendered_prices(&html),
        ["Free", "€12.50/month (billed €150 annually)"]
    );
}

app_test! {
    async fn unknown_pages_answer_404_with_the_layout(app: TestApp) {
        let response = app.get("/no/such/page").await;
        assert_eq!(response.status(), 404);
        let html = response.text().await.unwrap();
        assert!(html.contains("Page not found") && html.contains("Back to the home page"));
    }
}
