/**
 * Apache Pekko Typed actors of Grokscope: the run supervisor, one event-sourced trainer per run,
 * journal analyzers and the onset detector. Empty until the event-sourced runs milestone; the
 * module exists now so the reactor has its final shape.
 */
package org.grokscope.actors;
