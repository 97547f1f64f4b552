//! Diagnostics as LSP diagnostics: the message as `check` prints it, its
//! notes and help on lines below it, and each label as related information
//! at its own place.

use bumplox_diagnostics::{Diagnostic, Severity};
use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, Uri};

use crate::document::Document;

pub fn to_lsp(document: &Document, uri: &Uri, found: &[Diagnostic]) -> Vec<lsp_types::Diagnostic> {
    found
        .iter()
        .map(|diagnostic| {
            let mut message = diagnostic.message.clone();
            for note in &diagnostic.notes {
                message.push_str("\nnote: ");
                message.push_str(note);
            }
            if let Some(help) = &diagnostic.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let primary = diagnostic
                .primary_label
                .iter()
                .map(|label| (diagnostic.span, label));
            let secondary = diagnostic
                .labels
                .iter()
                .map(|label| (label.span, &label.message));
            let related: Vec<DiagnosticRelatedInformation> = primary
                .chain(secondary)
                .map(|(span, label)| DiagnosticRelatedInformation {
                    location: Location::new(uri.clone(), document.range(span)),
                    message: label.clone(),
                })
                .collect();
            lsp_types::Diagnostic {
                range: document.range(diagnostic.span),
                severity: Some(match diagnostic.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Note => DiagnosticSeverity::INFORMATION,
                }),
                source: Some("bumplox".to_string()),
                message,
                related_information: match related.is_empty() {
                    true => None,
                    false => Some(related),
                },
                ..lsp_types::Diagnostic::default()
            }
        })
        .collect()
}
