;;; dossier.el --- Dossier language server for Markdown briefs, through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools
;; URL: https://github.com/dossier/dossier

;;; Commentary:

;; Dossier (`dossier lsp') gives Markdown briefs hover cards on entities and citations,
;; go-to-source (`M-.'), citation completion after `[@' (`completion-at-point', so Corfu and
;; Company work too) and diagnostics (Flymake) for claims the cited sources do not support.
;;
;;   (add-to-list 'load-path "/path/to/dossier/editors/emacs")
;;   (require 'dossier)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)   ; or M-x eglot in a brief
;;
;; Emacs 28 has no Markdown mode of its own: install `markdown-mode' (Debian:
;; elpa-markdown-mode) or let briefs open in `text-mode', which this file also registers.
;;
;; Editor settings override the workspace's `dossier.toml' and are sent as the server's
;; initializationOptions, with the keys of its [corpus] and [diagnostics] tables:
;;
;;   (setq dossier-initialization-options
;;         '(:corpus (:paths ["sources" "archive/2024"])
;;           :diagnostics (:uncited-claim "warning" :misquote "off")))
;;
;; They are read when the server starts (M-x eglot-reconnect after changing them).

;;; Code:

(require 'eglot)

(defgroup dossier nil
  "Dossier, the language server for Markdown briefs that cite sources."
  :group 'tools
  :prefix "dossier-")

(defcustom dossier-program '("dossier" "lsp")
  "The command that runs the Dossier language server, and its arguments."
  :type '(repeat string))

(defcustom dossier-modes '(markdown-mode gfm-mode text-mode)
  "Major modes whose buffers Dossier manages when eglot starts in them."
  :type '(repeat symbol))

(defcustom dossier-initialization-options nil
  "Settings sent to the server at start as initializationOptions, or nil for none.
A plist with the keys of `dossier.toml': `:corpus' (`:paths', a vector of
strings, relative to the workspace root) and `:diagnostics' (a severity per
code: \"error\", \"warning\", \"information\", \"hint\" or \"off\"), e.g.
  (:corpus (:paths [\"sources\"]) :diagnostics (:uncited-claim \"warning\"))"
  :type '(plist))

(defun dossier--initialization-options (_server)
  "The initializationOptions object: `dossier-initialization-options', or {}."
  (or dossier-initialization-options (make-hash-table)))

(defun dossier--contact (&optional _interactive)
  "The eglot contact for Dossier, read when a server starts."
  (append dossier-program
          (list :initializationOptions #'dossier--initialization-options)))

(defun dossier--registered-p (entry)
  "Non-nil when ENTRY of `eglot-server-programs' is the one this file adds."
  (eq (cdr-safe entry) #'dossier--contact))

;;;###autoload
(defun dossier-eglot-register ()
  "Put Dossier first in `eglot-server-programs' for `dossier-modes'."
  (setq eglot-server-programs
        (cons (cons dossier-modes #'dossier--contact)
              (seq-remove #'dossier--registered-p eglot-server-programs))))

(dossier-eglot-register)

(provide 'dossier)

;;; dossier.el ends here
