//! Progress shown while long work runs: a bar on standard error when it is a terminal, plain
//! lines otherwise. Shared by the commands that send mail (`send`, `publish`).

use crate::printer;
use indicatif::{ProgressBar, ProgressStyle};
use weekly_app::sender::{Progress, SendReport};
use weekly_app::sending::SendProgress;
use weekly_store::{Campaign, CampaignCounts};

/// The progress of sending campaigns.
pub struct SendBar(ProgressBar);

impl SendBar {
    /// A new bar (hidden when standard error is not a terminal).
    pub fn new() -> SendBar {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} · {per_sec} · ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        SendBar(bar)
    }

    /// Takes the bar away.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Progress for SendBar {
    fn campaign(&self, campaign: &Campaign, done: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(done);
        self.0.reset_eta();
        self.0.set_message(format!(
            "#{} {} {}",
            campaign.issue, campaign.lang, campaign.tier
        ));
    }

    fn done(&self, n: u64) {
        self.0.inc(n);
    }

    fn note(&self, line: &str) {
        if self.0.is_hidden() {
            printer::status(line);
        } else {
            self.0.println(printer::one_line(line));
        }
    }
}

impl SendProgress for SendBar {
    fn prepared(&self, campaign: &Campaign, recipients: i64, new: bool) {
        printer::status(&format!(
            "campaign #{} {} {}: {} ({})",
            campaign.issue,
            campaign.lang,
            campaign.tier,
            printer::count(
                usize::try_from(recipients).unwrap_or(0),
                "recipient",
                "recipients"
            ),
            match (new, campaign.finished_at.is_some()) {
                (true, _) => "new",
                (false, true) => "sent already: nothing to do",
                (false, false) => "resumed",
            }
        ));
    }

    fn finished(&self, campaign: &Campaign, report: &SendReport, counts: &CampaignCounts) {
        self.0.suspend(|| {
            printer::out(&format!(
                "#{} {} {}: {} sent now ({} of {} in all), {} deferred, {} failed{}{}",
                campaign.issue,
                campaign.lang,
                campaign.tier,
                report.sent,
                counts.sent,
                counts.total,
                report.deferred,
                counts.failed,
                if report.bounced > 0 {
                    format!(", {} marked bounced", report.bounced)
                } else {
                    String::new()
                },
                if counts.resent > 0 {
                    format!(
                        ", {} sent again after a stopped run (may have arrived twice)",
                        counts.resent
                    )
                } else {
                    String::new()
                },
            ));
        });
    }

    fn nothing_to_send(&self) {
        printer::out("nothing to send: every campaign is finished");
    }
}
