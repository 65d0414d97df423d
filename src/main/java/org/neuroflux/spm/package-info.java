/**
 * Interoperability with SPM: reading an MDP struct (or struct array) as MATLAB/Octave
 * {@code jsonencode} writes it, and writing a trial's outputs with SPM's field names and layouts.
 * May depend on {@code model}, {@code dynamics} (the trial outputs it writes) and Jackson.
 *
 * <p>jsonencode's layout: a scalar is a number; an array with at most one dimension > 1 is a flat
 * list (its orientation is lost); any other array is nested over all dimensions of size(x), with
 * trailing singleton dimensions dropped and the first MATLAB index outermost; a cell array is a
 * list; a struct is an object; a struct array is a list of objects.
 */
package org.neuroflux.spm;
