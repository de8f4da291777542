//! Charts drawn on the server as SVG, so they show without JavaScript. Each column carries
//! its figure in an SVG `<title>` (the browser's own tooltip), and every chart has its
//! numbers beside it as a table, for screen readers and for exact values.

use leptos::prelude::*;

/// The drawing's size in SVG units; it scales to the width it is given.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 180.0;

/// One column: its label and figure.
pub type Point = (String, i64);

/// Columns for `points`, as wide as the card. `caption` names the chart and its table;
/// with many points (`dense`) only the first and last labels are written under the columns
/// and the table folds away behind a disclosure.
#[component]
pub fn ColumnChart(
    caption: &'static str,
    /// What a label is ("Plan"), for the table's header.
    key: &'static str,
    /// What a figure counts ("tenants"), for the tooltips and the table's header.
    unit: &'static str,
    points: Vec<Point>,
    #[prop(default = false)] dense: bool,
) -> impl IntoView {
    let max = points
        .iter()
        .map(|(_, value)| *value)
        .max()
        .unwrap_or(0)
        .max(1);
    let count = points.len().max(1) as f64;
    let slot = WIDTH / count;
    let gap = if dense { slot * 0.15 } else { slot * 0.3 };
    let columns = points
        .iter()
        .enumerate()
        .map(|(index, (label, value))| {
            let height = (*value as f64 / max as f64) * (HEIGHT - 10.0);
            let x = index as f64 * slot + gap / 2.0;
            view! {
                <rect
                    x=format!("{x:.2}")
                    y=format!("{:.2}", HEIGHT - height)
                    width=format!("{:.2}", slot - gap)
                    height=format!("{height:.2}")
                    rx="2"
                    class="fill-indigo-500 hover:fill-indigo-700"
                >
                    <title>{format!("{label}: {value} {unit}")}</title>
                </rect>
            }
        })
        .collect_view();
    let labels = axis_labels(&points, dense);
    let empty = points
        .iter()
        .all(|(_, value)| *value == 0)
        .then(|| view! { <p class="mt-2 text-sm text-slate-500">"Nothing to chart yet: every figure is 0."</p> });
    let table = view! { <Figures caption key unit points=points.clone() /> };
    view! {
        <figure class="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
            <figcaption class="text-sm font-semibold text-slate-900">{caption}</figcaption>
            <div class=if dense { "mt-4" } else { "mt-4 grid gap-6 sm:grid-cols-[2fr_1fr]" }>
                <div>
                    <svg
                        viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                        preserveAspectRatio="none"
                        class="h-40 w-full"
                        role="img"
                        aria-label=format!("{caption}: column chart; the figures are in the table")
                    >
                        <line x1="0" y1=HEIGHT x2=WIDTH y2=HEIGHT class="stroke-slate-300" stroke-width="1" />
                        {columns}
                    </svg>
                    <div class="mt-1 flex justify-between gap-1 text-xs text-slate-500" aria-hidden="true">
                        {labels.into_iter().map(|label| view! { <span class="truncate">{label}</span> }).collect_view()}
                    </div>
                    {empty}
                </div>
                {if dense {
                    view! {
                        <details class="mt-3 text-sm">
                            <summary class="cursor-pointer text-indigo-700">"Show the figures"</summary>
                            <div class="mt-2 max-h-64 overflow-y-auto">{table}</div>
                        </details>
                    }
                        .into_any()
                } else {
                    table.into_any()
                }}
            </div>
        </figure>
    }
    // Erased: three charts on one page would nest the view type past the compiler's limit.
    .into_any()
}

/// Under the columns: every label, or only the first and last when there are many.
fn axis_labels(points: &[Point], dense: bool) -> Vec<String> {
    if !dense {
        return points.iter().map(|(label, _)| label.clone()).collect();
    }
    let first = points.first().map(|(label, _)| label.clone());
    let last = points.last().map(|(label, _)| label.clone());
    first.into_iter().chain(last).collect()
}

#[component]
fn Figures(
    caption: &'static str,
    key: &'static str,
    unit: &'static str,
    points: Vec<Point>,
) -> impl IntoView {
    view! {
        <table class="w-full text-left text-sm">
            <caption class="sr-only">{caption}</caption>
            <thead class="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                    <th scope="col" class="py-1 font-medium">{key}</th>
                    <th scope="col" class="py-1 text-right font-medium">{unit}</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {points
                    .into_iter()
                    .map(|(label, value)| view! {
                        <tr>
                            <th scope="row" class="py-1 font-normal text-slate-700">{label}</th>
                            <td class="py-1 text-right tabular-nums">{value}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
